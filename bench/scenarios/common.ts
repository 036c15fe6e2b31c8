// What every scenario needs inside the load generator: where the servers are, how to ask the
// orchestrator for a server sample, logging players in (bounded concurrency and time), waiting
// for a room to go quiet, and counting a fanout's receptions.
import type { Stalls } from '../stalls.js';
import { BarePlayer } from '../clients/bare.js';
import { LoginError, type BenchDoor, type BenchPlayer, type LoginMode } from '../clients/player.js';
import { TelnetPlayer } from '../clients/telnet.js';
import { WsPlayer } from '../clients/ws.js';
import { BENCH_PASSWORD, type BenchName } from '../names.js';
import { emptyReceptions, Samples, type LatencySummary, type Receptions } from '../stats.js';

export type DoorMix = 'mixed' | 'telnet' | 'ws';
export type GameDoor = 'telnet' | 'ws';

export interface Target {
  host: string;
  telnetPort: number;
  wsUrl: string;
  /** The bare fanout server, for the scenarios that compare with it. */
  barePort: number | null;
  /** The admin API (http://host:port) and its bearer token, for the scenarios a sysop takes part in. */
  adminUrl: string | null;
  adminToken: string | null;
}

/** One look at a server process: CPU time so far and memory (after a GC when asked and possible). */
export interface ProbeSample {
  /** user + system CPU time of the process so far, ms (read before the probe's own work). */
  cpuMs: number;
  /** The same, read after the probe's own work: where the next interval starts. */
  cpuAfterMs: number;
  rss: number;
  heapUsed: number | null;
  heapTotal: number | null;
  /** Committed bytes per V8 heap space (new_space, old_space, ...): only the game server's /metrics. */
  heapSpaces: Record<string, number> | null;
  /** Memory of C++ objects bound to JS ones (buffers included). */
  external: number | null;
  /** Only the game server's /metrics knows these. */
  subscribers: number | null;
  timers: number | null;
  sessions: number | null;
  players: number | null;
  resources: Record<string, number> | null;
  /** Event-loop delay and GC pauses since the previous probe, if that one asked to watch them (game server only). */
  stalls: Stalls | null;
  /** Where it came from: the server's /metrics (with /proc), /proc alone, or the bare server's IPC answer. */
  source: 'metrics' | 'proc' | 'ipc';
  gc: boolean;
}

export interface ScenarioContext {
  target: Target;
  /** The doors actually used (mixed falls back to telnet when the WebSocket door is missing). */
  doors: DoorMix;
  /** `stalls`: watch the game server's event loop and GC from this probe to the next. */
  probe(which: 'server' | 'bare', gc?: boolean, stalls?: boolean): Promise<ProbeSample>;
  log(text: string): void;
  loginTimeoutMs: number;
  loginConcurrency: number;
  /** How long an expected reception may take before it counts as missed. */
  waitMs: number;
  /** performance.now() after which the scenario must wrap up. */
  deadline: number;
}

export function doorFor(mix: DoorMix, index: number): GameDoor {
  if (mix === 'mixed') return index % 2 === 0 ? 'telnet' : 'ws';
  return mix;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

export function timeLeft(ctx: ScenarioContext): number {
  return Math.max(0, ctx.deadline - performance.now());
}

export function loginPlayer(ctx: ScenarioContext, name: BenchName, mode: LoginMode, door: GameDoor): Promise<BenchPlayer> {
  const timeout = Math.min(ctx.loginTimeoutMs, timeLeft(ctx));
  return door === 'telnet'
    ? TelnetPlayer.login(ctx.target.telnetPort, ctx.target.host, name, BENCH_PASSWORD, mode, timeout)
    : WsPlayer.login(ctx.target.wsUrl, name, BENCH_PASSWORD, mode, timeout);
}

/** Runs fn(0..count-1) with at most `concurrency` at a time; stops starting new ones after `deadline`. */
export async function pool(count: number, concurrency: number, deadline: number, fn: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  let started = 0;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      const i = next++;
      started++;
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  return started;
}

export interface LoginBatch {
  players: BenchPlayer[];
  failures: string[];
  /** Seconds from the first connect to the last player in the game. */
  seconds: number;
}

/** Logs in (or registers) `names`; players come back in name order, failures are listed. */
export async function loginMany(
  ctx: ScenarioContext,
  names: BenchName[],
  mode: LoginMode,
  doorOf: (i: number) => GameDoor,
): Promise<LoginBatch> {
  const slots: Array<BenchPlayer | undefined> = new Array(names.length);
  const failures: string[] = [];
  const t0 = performance.now();
  await pool(names.length, ctx.loginConcurrency, ctx.deadline, async (i) => {
    try {
      slots[i] = await loginPlayer(ctx, names[i]!, mode, doorOf(i));
    } catch (err) {
      failures.push(err instanceof LoginError ? err.message : String(err));
    }
  });
  const players = slots.filter((p): p is BenchPlayer => p !== undefined);
  if (players.length + failures.length < names.length) failures.push(`${names.length - players.length - failures.length} not tried: out of time`);
  return { players, failures, seconds: (performance.now() - t0) / 1000 };
}

export async function connectBare(ctx: ScenarioContext, count: number, from: number): Promise<BarePlayer[]> {
  const port = ctx.target.barePort;
  if (port === null) throw new Error('no bare fanout server in this run');
  const out: BarePlayer[] = new Array(count);
  await pool(count, 100, ctx.deadline, async (i) => {
    out[i] = await BarePlayer.connect(port, ctx.target.host, `Bare${from + i}`, ctx.loginTimeoutMs);
  });
  return out;
}

/** Waits until the bare server counts `total` connections: a client's connect is not the server's accept. */
export async function bareAccepted(ctx: ScenarioContext, total: number, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const have = (await ctx.probe('bare')).resources?.connections;
    if (have === total) return;
    if (performance.now() >= deadline) throw new Error(`the bare server has ${have} connections, expected ${total}`);
    await sleep(50);
  }
}

/** Waits until none of `players` has received anything for `quietMs` (at most `maxMs`). */
export async function settle(players: readonly BenchPlayer[], quietMs: number, maxMs: number): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  for (;;) {
    let last = 0;
    for (const p of players) if (p.lastRx > last) last = p.lastRx;
    const quietFor = performance.now() - last;
    if (quietFor >= quietMs) return true;
    if (performance.now() >= deadline) return false;
    await sleep(Math.min(quietMs - quietFor + 1, deadline - performance.now()));
  }
}

export function closeAll(players: readonly BenchPlayer[]): void {
  for (const p of players) p.close();
}

/** A server's CPU between two probes, less what the first probe itself cost it. */
export function cpuBetween(from: ProbeSample, to: ProbeSample): number {
  return to.cpuMs - from.cpuAfterMs;
}

export function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/** What a fanout measurement reports: receptions, latency overall and per receiving door. */
export interface FanoutSummary {
  events: number;
  receptions: Receptions;
  latency: LatencySummary;
  byDoor: Partial<Record<BenchDoor, LatencySummary>>;
  /** Per event: time until the last expected receiver had it. */
  completion: LatencySummary;
}

interface FanoutRecord {
  key: string;
  t0: number;
  tag: string;
  /** Arrival time minus t0 per group member; NaN: not (yet) received; -1: not expected. */
  arrivals: Float64Array;
  pending: number;
}

const MAX_RECORDS = 200_000;

/**
 * Counts one event's receptions across a fixed group of players: every member but the excluded
 * ones is expected to hear it once. Latencies are write-to-arrival on the load generator's clock.
 */
export class FanoutTracker {
  private readonly records = new Map<string, FanoutRecord>();
  private readonly all: FanoutRecord[] = [];
  private unexpected = 0;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly doors: readonly BenchDoor[],
    private readonly waitMs: number,
  ) {}

  start(key: string, t0: number, tag: string, exclude: readonly number[]): FanoutRecord {
    if (this.all.length >= MAX_RECORDS) throw new Error('too many fanout records');
    const arrivals = new Float64Array(this.doors.length).fill(Number.NaN);
    for (const i of exclude) arrivals[i] = -1;
    const rec: FanoutRecord = { key, t0, tag, arrivals, pending: this.doors.length - exclude.length };
    this.records.set(key, rec);
    this.all.push(rec);
    return rec;
  }

  heard(key: string, receiver: number, t: number): void {
    const rec = this.records.get(key);
    if (!rec) return;
    const prior = rec.arrivals[receiver];
    if (prior === undefined) return;
    if (!Number.isNaN(prior)) {
      this.unexpected++; // a duplicate, or a member that was not expected
      return;
    }
    rec.arrivals[receiver] = t - rec.t0;
    if (--rec.pending === 0) {
      for (const w of this.waiters.splice(0)) w();
    }
  }

  async waitFor(recs: readonly FanoutRecord[], timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (recs.some((r) => r.pending > 0)) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return true;
  }

  pendingRecords(): FanoutRecord[] {
    return this.all.filter((r) => r.pending > 0);
  }

  summary(tag?: string): FanoutSummary {
    const receptions = emptyReceptions();
    receptions.unexpected = tag === undefined ? this.unexpected : 0;
    const overall = new Samples();
    const byDoor = new Map<BenchDoor, Samples>();
    const completion = new Samples();
    let events = 0;
    for (const rec of this.all) {
      if (tag !== undefined && rec.tag !== tag) continue;
      events++;
      let last = 0;
      let complete = true;
      rec.arrivals.forEach((v, i) => {
        if (v === -1) return;
        receptions.expected++;
        if (Number.isNaN(v) || v > this.waitMs) {
          receptions.missed++;
          complete = false;
          return;
        }
        receptions.received++;
        overall.add(v);
        const door = this.doors[i]!;
        let s = byDoor.get(door);
        if (!s) byDoor.set(door, (s = new Samples()));
        s.add(v);
        if (v > last) last = v;
      });
      if (complete) completion.add(last);
    }
    const doors: Partial<Record<BenchDoor, LatencySummary>> = {};
    for (const [door, s] of byDoor) doors[door] = s.summary();
    return { events, receptions, latency: overall.summary(), byDoor: doors, completion: completion.summary() };
  }
}

export function randomToken(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * After `idleS` seconds of quiet, two GCs a moment apart (the second finds what the first's
 * finalizers freed), then a second more for V8's sweeper threads to hand pages back, then the
 * sample. Read straight after a GC, RSS moved by megabytes from one run to the next. The quiet
 * matters too: V8 gives back the memory a burst of logins churned through (its memory reducer
 * shrinks the young generation once allocation stops), and what an idle server holds is what a
 * sysop pays for, not the high-water mark of the rush.
 */
export async function idleSample(ctx: ScenarioContext, which: 'server' | 'bare', idleS: number): Promise<ProbeSample> {
  await sleep(Math.min(idleS * 1000, timeLeft(ctx)) + 200);
  await ctx.probe(which, true);
  await sleep(300);
  const collected = await ctx.probe(which, true);
  await sleep(1000);
  return { ...(await ctx.probe(which)), gc: collected.gc };
}
