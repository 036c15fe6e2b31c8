// The load generator: a child process of the benchmark, apart from the servers it measures, with
// real sockets on 127.0.0.1. It runs the one scenario it is asked for and reports the result; every
// time in it is taken on this process's clock, so write-to-arrival times need no clock sync.
import { WsPlayer } from './clients/ws.js';
import { parseToLoadgen, type FromLoadgen, type RunRequest, type ScenarioResult } from './ipc.js';
import { churn } from './scenarios/churn.js';
import type { DoorMix, ProbeSample, ScenarioContext } from './scenarios/common.js';
import { crowd } from './scenarios/crowd.js';
import { memory } from './scenarios/memory.js';
import { storm } from './scenarios/storm.js';
import { reload } from './scenarios/reload.js';
import { travel } from './scenarios/travel.js';

const PROBE_TIMEOUT_MS = 60_000;

function send(msg: FromLoadgen): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(msg, undefined, {}, () => resolve());
  });
}

let probeId = 0;
const probes = new Map<number, { resolve: (s: ProbeSample) => void; reject: (e: Error) => void }>();

function probe(which: 'server' | 'bare', gc = false, stalls = false): Promise<ProbeSample> {
  const id = ++probeId;
  return new Promise<ProbeSample>((resolve, reject) => {
    const timer = setTimeout(() => {
      probes.delete(id);
      reject(new Error(`no ${which} sample in ${PROBE_TIMEOUT_MS} ms`));
    }, PROBE_TIMEOUT_MS);
    probes.set(id, {
      resolve: (s) => {
        clearTimeout(timer);
        resolve(s);
      },
      reject: (e) => {
        clearTimeout(timer);
        reject(e);
      },
    });
    void send({ type: 'probe', id, which, gc, stalls });
  });
}

async function chooseDoors(req: RunRequest, notes: string[]): Promise<DoorMix> {
  const wanted = req.options.doors;
  if (wanted === 'telnet') return wanted;
  const problem = await WsPlayer.available(req.target.wsUrl, 10_000);
  if (problem === null) return wanted;
  if (wanted === 'ws') throw new Error(`the WebSocket door at ${req.target.wsUrl} does not answer a ping (${problem})`);
  notes.push(`WebSocket door not available (${problem}): telnet clients only`);
  return 'telnet';
}

async function run(req: RunRequest): Promise<void> {
  const notes: string[] = [];
  try {
    const doors = await chooseDoors(req, notes);
    const o = req.options;
    const ctx: ScenarioContext = {
      target: req.target,
      doors,
      probe,
      log: (text) => void send({ type: 'log', text }),
      loginTimeoutMs: o.loginTimeoutMs,
      loginConcurrency: o.loginConcurrency,
      waitMs: o.waitMs,
      deadline: performance.now() + req.budgetMs,
    };
    let result: ScenarioResult;
    switch (req.scenario) {
      case 'crowd':
        result = { scenario: 'crowd', result: await crowd(ctx, o.crowd) };
        break;
      case 'travel':
        result = { scenario: 'travel', result: await travel(ctx, o.travel) };
        break;
      case 'storm':
        result = { scenario: 'storm', result: await storm(ctx, o.storm) };
        break;
      case 'churn':
        result = { scenario: 'churn', result: await churn(ctx, o.churn) };
        break;
      case 'memory':
        result = { scenario: 'memory', result: await memory(ctx, o.memory) };
        break;
      case 'reload':
        result = { scenario: 'reload', result: await reload(ctx, o.reload) };
        break;
    }
    if (performance.now() > ctx.deadline) notes.push('the scenario ran out of its time budget: some steps were cut short');
    await send({ type: 'done', result, doors, notes });
  } catch (err) {
    await send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err), notes });
  }
}

process.on('message', (raw: unknown) => {
  const msg = parseToLoadgen(raw);
  if (!msg) return;
  if (msg.type === 'run') {
    void run(msg).finally(() => process.exit(0));
    return;
  }
  const waiting = probes.get(msg.id);
  if (!waiting) return;
  probes.delete(msg.id);
  if (msg.sample) waiting.resolve(msg.sample);
  else waiting.reject(new Error(msg.error ?? 'probe failed'));
});
// The orchestrator went away: nothing left to report to.
process.on('disconnect', () => process.exit(1));
// Stopped by the orchestrator: exit normally, so a --cpu-prof profile is written.
process.on('SIGTERM', () => process.exit(1));
void send({ type: 'ready' });
