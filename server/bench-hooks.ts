// What the benchmark (bench/) must see from inside the server process: CPU time, memory after a
// GC, event-bus subscribers, timers and handles. Only wired in when MYTHOS_BENCH=1, so production
// servers never answer it. `GET /debug/bench?gc=1` runs a full GC first when the server was started
// with `node --expose-gc`; `?stalls=1` watches event-loop delay and GC pauses until the next probe.
import { readFileSync } from 'node:fs';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import type { Game } from './core/game.js';
import { sendJson, type Route } from './http.js';

export function benchEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MYTHOS_BENCH === '1';
}

export function benchRoute(game: Game): Route {
  // Watched only between probes that ask (?stalls=1): its 1 ms timer is CPU of its own, which the
  // crowd scenario would otherwise count against the game and not against the bare server.
  let watch: ReturnType<typeof stallWatch> | null = null;
  // CPU time spent answering probes (a forced GC, reading smaps) is the benchmark's, not the
  // game's: reported apart (probeCpuUs), so that a difference between two probes leaves it out.
  const probes = new ProbeCpu();
  return (_req, res, url) => {
    if (url.pathname !== '/debug/bench') return false;
    const cpu = probes.arrived();
    const stalls = watch?.read() ?? null; // since the previous probe that asked
    watch?.stop();
    watch = url.searchParams.get('stalls') === '1' ? stallWatch() : null;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (url.searchParams.get('gc') === '1' && gc) gc();
    const mem = process.memoryUsage();
    const resources: Record<string, number> = {};
    for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
    sendJson(res, 200, {
      pid: process.pid,
      cpu,
      probeCpuUs: probes.spentUs,
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      external: mem.external,
      arrayBuffers: mem.arrayBuffers,
      // Committed bytes per V8 heap space: where RSS went when heapUsed did not grow.
      smaps: smapsRss(),
      heapSpaces: Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size])),
      gc: Boolean(gc),
      stalls,
      subscribers: game.bus.subscriberCount(),
      sessions: game.sessionCount(),
      players: game.presence.size,
      timers: resources.Timeout ?? 0,
      resources,
    });
    probes.done();
    return true;
  };
}

/**
 * What the benchmark's probes cost the process: the CPU time is read when a probe arrives, and each
 * probe's own time (from its arrival to done()) is added up, for the benchmark to leave out.
 */
export class ProbeCpu {
  /** Microseconds of CPU spent answering probes so far. */
  spentUs = 0;
  private start: NodeJS.CpuUsage | null = null;

  constructor(private readonly usage: () => NodeJS.CpuUsage = () => process.cpuUsage()) {}

  arrived(): NodeJS.CpuUsage {
    this.start = this.usage();
    return this.start;
  }

  done(): void {
    if (!this.start) return;
    const end = this.usage();
    this.spentUs += end.user - this.start.user + (end.system - this.start.system);
    this.start = null;
  }
}

/** Resident bytes by kind of mapping: the brk heap (malloc), other anonymous memory, files. */
function smapsRss(): Record<string, number> {
  const out: Record<string, number> = { brk: 0, anon: 0, file: 0 };
  let kind = 'anon';
  try {
    for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
      const m = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
      if (m) kind = m[1] === '[heap]' ? 'brk' : m[1] === '' || m[1]!.startsWith('[') ? 'anon' : 'file';
      else if (line.startsWith('Rss:')) out[kind]! += Number(line.split(/\s+/)[1]) * 1024;
    }
  } catch {
    // not Linux
  }
  return out;
}

/** How late the event loop ran, and the GC pauses, over a stretch of time (ms). */
export interface Stalls {
  loopP50: number;
  loopP99: number;
  loopMax: number;
  gcCount: number;
  gcTotal: number;
  gcMax: number;
  /** Of those, the young generation's (scavenges): their pause grows with what survives them. */
  scavengeCount: number;
  scavengeTotal: number;
  scavengeMax: number;
}

/**
 * Watches this process for stalls: a latency spike at the load generator shows up here as a late
 * event loop, and a GC pause says whether the collector caused it. `read` returns what happened
 * since the previous read. Event-loop resolution is 1 ms: finer costs timer wake-ups of its own.
 */
export function stallWatch(): { read(): Stalls; stop(): void } {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const pauses = () => ({ count: 0, total: 0, max: 0 });
  let gc = pauses();
  let scavenge = pauses();
  const add = (p: ReturnType<typeof pauses>, ms: number) => {
    p.count++;
    p.total += ms;
    p.max = Math.max(p.max, ms);
  };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      add(gc, e.duration);
      // A gc entry carries its kind in detail (Node >= 16), which this @types/node does not declare.
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) add(scavenge, e.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    read() {
      const s: Stalls = {
        loopP50: loop.percentile(50) / 1e6,
        loopP99: loop.percentile(99) / 1e6,
        loopMax: loop.max / 1e6,
        gcCount: gc.count,
        gcTotal: gc.total,
        gcMax: gc.max,
        scavengeCount: scavenge.count,
        scavengeTotal: scavenge.total,
        scavengeMax: scavenge.max,
      };
      loop.reset();
      gc = pauses();
      scavenge = pauses();
      return s;
    },
    stop() {
      loop.disable();
      observer.disconnect();
    },
  };
}
