// Runs the chosen scenarios one after another, each against a fresh game server (and, for crowd,
// travel and memory, a fresh bare fanout server), driven by a fresh load-generator process.
// Collects the results with the machine's state, and always ends every child process it started.
import type { ChildProcess } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { resolveTarget } from '../cli/admin/client.js';
import { parseFromLoadgen, type RunRequest, type ScenarioResult, type ToLoadgen } from './ipc.js';
import { scenarioBudgetMs, type BenchOptions, type ScenarioName } from './options.js';
import { ProcessGroup, serverLogProblems, serverLogTail, type BareServer, type GameServer } from './processes.js';
import type { DoorMix } from './scenarios/common.js';

export interface ScenarioRun {
  name: ScenarioName;
  ok: boolean;
  seconds: number;
  doors: DoorMix | null;
  notes: string[];
  data: ScenarioResult | null;
  error: string | null;
}

export interface BenchReport {
  startedAt: string;
  seconds: number;
  machine: {
    cpus: number;
    cpuModel: string;
    totalMemMb: number;
    node: string;
    platform: string;
    loadavgStart: number[];
    loadavgEnd: number[];
  };
  options: BenchOptions;
  runs: ScenarioRun[];
}

export interface RunHooks {
  log(text: string): void;
  /** The group of the scenario being run, for a signal handler that must kill it. */
  current?(group: ProcessGroup | null): void;
}

const NEEDS_BARE: ReadonlySet<ScenarioName> = new Set(['crowd', 'travel', 'memory']);

export async function runBench(options: BenchOptions, hooks: RunHooks): Promise<BenchReport> {
  const started = new Date();
  const t0 = performance.now();
  const loadavgStart = loadavg().map(round2);
  const runs: ScenarioRun[] = [];
  for (const name of options.scenarios) {
    hooks.log(`== ${name}`);
    runs.push(await runScenario(name, options, hooks));
  }
  return {
    startedAt: started.toISOString(),
    seconds: (performance.now() - t0) / 1000,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      totalMemMb: Math.round(totalmem() / 1024 / 1024),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadavgStart,
      loadavgEnd: loadavg().map(round2),
    },
    options,
    runs,
  };
}

async function runScenario(name: ScenarioName, options: BenchOptions, hooks: RunHooks): Promise<ScenarioRun> {
  const group = new ProcessGroup(options.cpuProfDir ? { dir: options.cpuProfDir, label: name } : null);
  hooks.current?.(group);
  const t0 = performance.now();
  let server: GameServer | null = null;
  const run: ScenarioRun = { name, ok: false, seconds: 0, doors: null, notes: [], data: null, error: null };
  try {
    // The three start at once: each spends a second or two loading its TypeScript.
    let stderr = '';
    const loadgen = group.startLoadgen((text) => (stderr = (stderr + text).slice(-8000)));
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: unknown) => {
        if (parseFromLoadgen(m)?.type !== 'ready') return;
        loadgen.off('message', onMessage);
        resolve();
      };
      loadgen.on('message', onMessage);
      loadgen.once('exit', (code) => reject(new Error(`the load generator exited (${code}) before it was ready; stderr:\n${stderr}`)));
    });
    ready.catch(() => {}); // awaited below; a failure before then is reported there
    const [game, bare] = await Promise.all([group.startGame(options.serverLogLevel), NEEDS_BARE.has(name) ? group.startBare() : null]);
    server = game;
    await ready;
    const budgetMs = scenarioBudgetMs(name, options);
    // The server's admin URL and the token it wrote into its data directory, found the way
    // `mythos admin --data-dir` finds them.
    const admin = resolveTarget({ url: `http://${server.host}:${server.wsPort}`, dataDir: join(server.dir, 'data') });
    const request: RunRequest = {
      type: 'run',
      scenario: name,
      options,
      target: {
        host: server.host,
        telnetPort: server.telnetPort,
        wsUrl: server.wsUrl,
        barePort: bare?.port ?? null,
        adminUrl: admin.url,
        adminToken: admin.token,
      },
      budgetMs,
    };
    const outcome = await drive(loadgen, request, server, bare, hooks, budgetMs + 120_000);
    run.notes = outcome.notes;
    if (outcome.kind === 'done') {
      run.ok = true;
      run.doors = outcome.doors;
      run.data = outcome.result;
    } else {
      run.error = `${outcome.error}${stderr ? `\nload generator stderr:\n${stderr}` : ''}`;
    }
  } catch (err) {
    run.error = (err as Error).message;
  } finally {
    if (server) {
      // What the server itself complained about (clients cut loose, floods, errors) belongs with the figures.
      const problems = [...serverLogProblems(server)].map(([msg, n]) => `${n} x ${msg}`);
      if (problems.length) run.notes.push(`server log: ${problems.join('; ')}`);
    }
    if (!run.ok && server) run.error += `\nserver log (tail):\n${serverLogTail(server)}`;
    await group.stopAll();
    hooks.current?.(null);
    run.seconds = (performance.now() - t0) / 1000;
  }
  if (run.error) hooks.log(`${name} failed: ${run.error.split('\n')[0]}`);
  return run;
}

type Outcome =
  | { kind: 'done'; result: ScenarioResult; doors: DoorMix; notes: string[] }
  | { kind: 'failed'; error: string; notes: string[] };

function drive(
  loadgen: ChildProcess,
  request: RunRequest,
  server: GameServer,
  bare: BareServer | null,
  hooks: RunHooks,
  hardLimitMs: number,
): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    const finish = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const timer = setTimeout(() => finish({ kind: 'failed', error: `no result within ${Math.round(hardLimitMs / 1000)} s`, notes: [] }), hardLimitMs);
    const reply = (msg: ToLoadgen) => {
      if (loadgen.connected) loadgen.send(msg);
    };
    loadgen.on('message', (raw: unknown) => {
      const msg = parseFromLoadgen(raw);
      if (!msg) return;
      switch (msg.type) {
        case 'log':
          hooks.log(msg.text);
          return;
        case 'probe': {
          const target = msg.which === 'server' ? server : bare;
          if (!target) return reply({ type: 'probe-result', id: msg.id, sample: null, error: `no ${msg.which} server in this scenario` });
          target.probe(msg.gc, msg.stalls).then(
            (sample) => reply({ type: 'probe-result', id: msg.id, sample, error: null }),
            (err: Error) => reply({ type: 'probe-result', id: msg.id, sample: null, error: err.message }),
          );
          return;
        }
        case 'ready':
          return;
        case 'done':
          return finish({ kind: 'done', result: msg.result, doors: msg.doors, notes: msg.notes });
        case 'failed':
          return finish({ kind: 'failed', error: msg.error, notes: msg.notes });
      }
    });
    // 'close' comes after the IPC channel is drained, so a result sent just before exiting is in.
    loadgen.once('close', (code, signal) => finish({ kind: 'failed', error: `the load generator exited (${signal ?? code}) without a result`, notes: [] }));
    server.proc.once('exit', (code, signal) => finish({ kind: 'failed', error: `the game server exited (${signal ?? code}) during the scenario`, notes: [] }));
    loadgen.send(request);
  });
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
