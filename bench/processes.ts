// The child processes of a benchmark run: the real game server (port 0, a temporary data dir,
// started as a sysop would start it), the bare fanout server, and the load generator. The game
// server is watched from outside, as any server can be: /proc for CPU and memory, and its own
// /metrics for the rest.
// A ProcessGroup owns them and their temporary folders; stopAll() ends every one, even after a
// failure, and the run's signal handlers call it too.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledModule, PROJECT_ROOT } from '../server/compiled.js';
import type { ProbeSample } from './scenarios/common.js';
import type { Stalls } from './stalls.js';

export const ROOT = PROJECT_ROOT;
const MYTHOS = join(ROOT, 'bin', 'mythos.js');
// The bench's own processes, compiled (npm run bench builds them; the smoke test runs from source).
const BARE = fileURLToPath(compiledModule(import.meta.url, './bare-fanout.js'));
const LOADGEN = fileURLToPath(compiledModule(import.meta.url, './loadgen.js'));
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
/** prom-client's event-loop sampling period (eventLoopMonitoringPrecision, its default). */
const LAG_SAMPLING_MS = 10;
/** Clock ticks per second of /proc/PID/stat times (USER_HZ, 100 on Linux). */
const CLK_TCK = 100;

export interface GameServer {
  proc: ChildProcess;
  pid: number;
  host: string;
  telnetPort: number;
  wsPort: number;
  wsUrl: string;
  dir: string;
  logFile: string;
  probe(gc: boolean, stalls?: boolean): Promise<ProbeSample>;
}

export interface BareServer {
  proc: ChildProcess;
  port: number;
  probe(gc: boolean, stalls?: boolean): Promise<ProbeSample>;
}

export class ProcessGroup {
  private readonly children = new Set<ChildProcess>();
  private readonly dirs = new Set<string>();

  /** cpuProf: write a V8 CPU profile of each child into DIR/LABEL-ROLE/ (`node --cpu-prof`). */
  constructor(private readonly cpuProf: { dir: string; label: string } | null = null) {}

  private profFlags(role: string): string[] {
    return this.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(this.cpuProf.dir, `${this.cpuProf.label}-${role}`)}`] : [];
  }

  async startGame(logLevel: string): Promise<GameServer> {
    const dir = mkdtempSync(join(tmpdir(), 'mythos-bench-'));
    this.dirs.add(dir);
    const logFile = join(dir, 'server.log');
    const logFd = openSync(logFile, 'w');
    const host = '127.0.0.1';
    let proc: ChildProcess;
    try {
      proc = spawn(
        process.execPath,
        [...this.profFlags('server'), MYTHOS, 'serve', '--host', host, '--telnet-port', '0', '--ws-port', '0', '--data-dir', join(dir, 'data'),
          // Every simulated player comes from 127.0.0.1: the per-address cap would refuse all but 20.
          '--max-connections-per-address', '0'],
        {
          cwd: ROOT,
          env: { ...process.env, MYTHOS_LOG_LEVEL: logLevel, MYTHOS_SHUTDOWN_GRACE_S: '0' },
          // The log goes to a file: a pipe nobody drains fast enough would slow the server down.
          stdio: ['ignore', 'pipe', logFd],
        },
      );
    } finally {
      closeSync(logFd);
    }
    this.track(proc);
    const out = await waitForLines(proc, [/telnet listening on [\d.]+:(\d+)/, /websocket listening on ws:\/\/[\d.]+:(\d+)\/ws/], () => tail(logFile));
    const telnetPort = Number(out[0]![1]);
    const wsPort = Number(out[1]![1]);
    const pid = proc.pid!;
    const metrics = new MetricsReader(host, wsPort);
    return {
      proc,
      pid,
      host,
      telnetPort,
      wsPort,
      wsUrl: `ws://${host}:${wsPort}/ws`,
      dir,
      logFile,
      // No forced GC: a server started as a sysop starts it has no --expose-gc and no debug route.
      probe: (_gc, stalls = false) => metrics.sample(pid, stalls),
    };
  }

  async startBare(): Promise<BareServer> {
    const proc = fork(BARE, [], { cwd: ROOT, execArgv: ['--expose-gc', ...this.profFlags('bare')], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.track(proc);
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    const out = await waitForLines(proc, [/bare fanout listening on [\d.]+:(\d+)/], () => err);
    let chain: Promise<unknown> = Promise.resolve();
    const ask = (gc: boolean) =>
      new Promise<ProbeSample>((resolve, reject) => {
        const timer = setTimeout(() => {
          proc.off('message', onMessage);
          reject(new Error('the bare server did not answer'));
        }, 30_000);
        const onMessage = (m: unknown) => {
          const s = m as { type?: string; cpu: NodeJS.CpuUsage; rss: number; heapUsed: number; connections: number; gc: boolean };
          if (s.type !== 'stats') return;
          clearTimeout(timer);
          proc.off('message', onMessage);
          resolve({
            cpuMs: (s.cpu.user + s.cpu.system) / 1000,
            cpuAfterMs: (s.cpu.user + s.cpu.system) / 1000,
            rss: s.rss,
            ...NOT_FROM_HOOK,
            heapUsed: s.heapUsed,
            resources: { connections: s.connections },
            source: 'ipc',
            gc: s.gc && gc,
          });
        };
        proc.on('message', onMessage);
        proc.send({ type: 'stats', gc });
      });
    return {
      proc,
      port: Number(out[0]![1]),
      // One question at a time: answers carry no id.
      probe: (gc) => {
        const next = chain.then(() => ask(gc));
        chain = next.catch(() => {});
        return next;
      },
    };
  }

  startLoadgen(onStderr: (text: string) => void): ChildProcess {
    // --max-semi-space-size: fewer scavenges while a thousand sockets' data flows in.
    const proc = fork(LOADGEN, [], { cwd: ROOT, execArgv: ['--max-semi-space-size=32', ...this.profFlags('loadgen')], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.track(proc);
    proc.stderr!.on('data', (d: Buffer) => onStderr(d.toString()));
    return proc;
  }

  /** Ends every child (load generator first, then servers gracefully, then by force) and removes the temp dirs. */
  async stopAll(): Promise<void> {
    const alive = [...this.children].filter(running);
    await Promise.all(alive.map((p) => stop(p)));
    this.children.clear();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs.clear();
  }

  /** For a signal handler: no waiting, just kill. */
  killAllNow(): void {
    for (const p of this.children) if (running(p)) p.kill('SIGKILL');
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  private track(proc: ChildProcess): void {
    this.children.add(proc);
    proc.once('exit', () => this.children.delete(proc));
  }
}

function running(p: ChildProcess): boolean {
  return p.exitCode === null && p.signalCode === null;
}

async function stop(p: ChildProcess): Promise<void> {
  if (!running(p)) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill('SIGTERM');
  const timer = setTimeout(() => running(p) && p.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

async function waitForLines(proc: ChildProcess, patterns: RegExp[], diagnostics: () => string): Promise<RegExpExecArray[]> {
  let text = '';
  try {
    return await new Promise<RegExpExecArray[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not start in ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      proc.stdout!.on('data', (d: Buffer) => {
        text = (text + d.toString()).slice(-8000);
        const found = patterns.map((re) => re.exec(text));
        if (found.every((m) => m !== null)) {
          clearTimeout(timer);
          resolve(found as RegExpExecArray[]);
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before listening`));
      });
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${text}\n${diagnostics()}`);
  } finally {
    proc.stdout!.resume(); // keep draining whatever else it prints
  }
}

function tail(file: string, bytes = 4000): string {
  try {
    return readFileSync(file, 'utf8').slice(-bytes);
  } catch {
    return '';
  }
}

export function serverLogTail(server: GameServer): string {
  return tail(server.logFile);
}

/** Warnings and errors in the server's log (pino JSON lines), counted by message. */
export function serverLogProblems(server: GameServer): Map<string, number> {
  const counts = new Map<string, number>();
  let text = '';
  try {
    text = readFileSync(server.logFile, 'utf8');
  } catch {
    return counts;
  }
  for (const line of text.split('\n')) {
    if (!line.includes('"level":4') && !line.includes('"level":5') && !line.includes('"level":6')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      if ((entry.level ?? 0) < 40) continue;
      const key = `${entry.level! >= 50 ? 'error' : 'warn'}: ${entry.msg ?? '?'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } catch {
      // not a log line (a stack trace, say): ignore
    }
  }
  return counts;
}

/** GET /metrics as name{labels} -> value; labels kept as written (prom-client's order). */
function getText(host: string, port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // agent: false and a fresh connection each time, so no keep-alive socket of ours sits in the
    // server's handle counts.
    const req = get({ host, port, path, agent: false, timeout: 30_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseMetrics(text: string): Series[] {
  const out: Series[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The game server seen from outside: its /metrics (CPU to the microsecond, heap, GC, the game's gauges) and /proc (RSS). */
class MetricsReader {
  /** The GC counters of the last scrape, and whether that probe asked to watch stalls. */
  private lastGc: { count: number; total: number; scavengeCount: number; scavengeTotal: number } | null = null;
  private watching = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  async sample(pid: number, watch: boolean): Promise<ProbeSample> {
    // Two scrapes: the CPU time each reports (process.cpuUsage() at its collect, microseconds)
    // brackets the first scrape's own work, which belongs to neither interval: the one before
    // ends at the first reading, the one after starts at the second.
    const first = parseMetrics(await getText(this.host, this.port, '/metrics'));
    const series = parseMetrics(await getText(this.host, this.port, '/metrics'));
    const rss = procSample(pid).rss;
    const valueIn = (list: Series[], name: string, labels: Record<string, string> = {}) =>
      list.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value ?? null;
    const one = (name: string, labels: Record<string, string> = {}) => valueIn(series, name, labels);
    const cpuOf = (list: Series[]) => ((valueIn(list, 'process_cpu_user_seconds_total') ?? 0) + (valueIn(list, 'process_cpu_system_seconds_total') ?? 0)) * 1000;
    const resources: Record<string, number> = {};
    for (const s of series) if (s.name === 'nodejs_active_resources' && s.labels.type) resources[s.labels.type] = s.value;
    const heapSpaces: Record<string, number> = {};
    for (const s of series) if (s.name === 'nodejs_heap_space_size_total_bytes' && s.labels.space) heapSpaces[s.labels.space] = s.value;
    const gcOf = (list: Series[]) => {
      const gc = { count: 0, total: 0, scavengeCount: 0, scavengeTotal: 0 };
      for (const s of list) {
        const minor = s.labels.kind === 'minor';
        if (s.name === 'nodejs_gc_duration_seconds_count') {
          gc.count += s.value;
          if (minor) gc.scavengeCount += s.value;
        } else if (s.name === 'nodejs_gc_duration_seconds_sum') {
          gc.total += s.value * 1000;
          if (minor) gc.scavengeTotal += s.value * 1000;
        }
      }
      return gc;
    };
    let stalls: Stalls | null = null;
    if (this.watching && this.lastGc) {
      // prom-client resets its event-loop histogram at every scrape: the first scrape's figures
      // cover the time since the previous probe.
      const gc = gcOf(first);
      // Each reading is the time between two ticks of prom-client's sampling timer: the period
      // itself is in it, and only what is over the period is lateness.
      const late = (name: string) => Math.max(0, (valueIn(first, name) ?? 0) * 1000 - LAG_SAMPLING_MS);
      stalls = {
        loopP50: late('nodejs_eventloop_lag_p50_seconds'),
        loopP99: late('nodejs_eventloop_lag_p99_seconds'),
        loopMax: late('nodejs_eventloop_lag_max_seconds'),
        gcCount: gc.count - this.lastGc.count,
        gcTotal: gc.total - this.lastGc.total,
        gcMax: null,
        scavengeCount: gc.scavengeCount - this.lastGc.scavengeCount,
        scavengeTotal: gc.scavengeTotal - this.lastGc.scavengeTotal,
        scavengeMax: null,
      };
    }
    this.lastGc = gcOf(series);
    this.watching = watch;
    return {
      cpuMs: cpuOf(first),
      cpuAfterMs: cpuOf(series),
      rss,
      heapUsed: one('nodejs_heap_size_used_bytes'),
      heapTotal: one('nodejs_heap_size_total_bytes'),
      heapSpaces,
      stalls,
      external: one('nodejs_external_memory_bytes'),
      subscribers: one('mythos_bus_subscribers'),
      timers: resources.Timeout ?? 0,
      sessions: one('mythos_sessions'),
      players: one('mythos_players_online'),
      resources,
      source: 'metrics',
      gc: false,
    };
  }
}

/** What only the game server's /metrics can tell; unknown in a sample from anywhere else. */
const NOT_FROM_HOOK = {
  heapUsed: null,
  heapTotal: null,
  heapSpaces: null,
  stalls: null,
  external: null,
  subscribers: null,
  timers: null,
  sessions: null,
  players: null,
  resources: null,
} as const satisfies Partial<ProbeSample>;

/** CPU (utime + stime) and VmRSS from /proc: no help needed from the process, no GC possible. */
export function procSample(pid: number): ProbeSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const cpu = ((utime + stime) * 1000) / CLK_TCK;
  return {
    cpuMs: cpu,
    cpuAfterMs: cpu,
    rss: rssKb * 1024,
    ...NOT_FROM_HOOK,
    source: 'proc',
    gc: false,
  };
}
