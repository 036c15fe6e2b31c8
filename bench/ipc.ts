// Messages between the orchestrator (bench/run.ts) and the load-generator child (bench/loadgen.ts)
// over the IPC channel. The child runs one scenario; when it needs a server sample (CPU, memory)
// it asks the orchestrator, which owns the server processes.
import { z } from 'zod';
import type { BenchOptions, ScenarioName } from './options.js';
import type { ChurnResult } from './scenarios/churn.js';
import type { DoorMix, ProbeSample, Target } from './scenarios/common.js';
import type { CrowdResult } from './scenarios/crowd.js';
import type { MemoryResult } from './scenarios/memory.js';
import type { ReloadResult } from './scenarios/reload.js';
import type { StormResult } from './scenarios/storm.js';
import type { TravelResult } from './scenarios/travel.js';

export type ScenarioResult =
  | { scenario: 'crowd'; result: CrowdResult }
  | { scenario: 'travel'; result: TravelResult }
  | { scenario: 'storm'; result: StormResult }
  | { scenario: 'churn'; result: ChurnResult }
  | { scenario: 'memory'; result: MemoryResult }
  | { scenario: 'reload'; result: ReloadResult };

export interface RunRequest {
  type: 'run';
  scenario: ScenarioName;
  options: BenchOptions;
  target: Target;
  /** Milliseconds the scenario may take before it wraps up. */
  budgetMs: number;
}

export type ToLoadgen = RunRequest | { type: 'probe-result'; id: number; sample: ProbeSample | null; error: string | null };

export type FromLoadgen =
  /** Sent once the child listens: a message sent to it before then could be lost. */
  | { type: 'ready' }
  | { type: 'probe'; id: number; which: 'server' | 'bare'; gc: boolean; stalls: boolean }
  | { type: 'log'; text: string }
  | { type: 'done'; result: ScenarioResult; doors: DoorMix; notes: string[] }
  | { type: 'failed'; error: string; notes: string[] };

// The channel only links two processes of this same checkout, so the check is on the shape of the
// message (its type and the fields routing needs), and the payloads are trusted.
const ToLoadgenShape = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), scenario: z.string(), options: z.object({}).passthrough(), target: z.object({}).passthrough(), budgetMs: z.number() }),
  z.object({ type: z.literal('probe-result'), id: z.number(), sample: z.unknown(), error: z.string().nullable() }),
]);

const FromLoadgenShape = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('probe'), id: z.number(), which: z.enum(['server', 'bare']), gc: z.boolean(), stalls: z.boolean() }),
  z.object({ type: z.literal('log'), text: z.string() }),
  z.object({ type: z.literal('done'), result: z.object({ scenario: z.string(), result: z.unknown() }), doors: z.string(), notes: z.array(z.string()) }),
  z.object({ type: z.literal('failed'), error: z.string(), notes: z.array(z.string()) }),
]);

export function parseToLoadgen(msg: unknown): ToLoadgen | null {
  return ToLoadgenShape.safeParse(msg).success ? (msg as ToLoadgen) : null;
}

export function parseFromLoadgen(msg: unknown): FromLoadgen | null {
  return FromLoadgenShape.safeParse(msg).success ? (msg as FromLoadgen) : null;
}
