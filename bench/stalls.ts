// Event-loop delay and GC pauses over a stretch of time: the load generator watches itself with
// stallWatch() (a late reading there is the benchmark's, not the server's), and the game server's
// come from its /metrics (prom-client's event-loop and GC metrics), read into the same shape.
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** How late the event loop ran, and the GC pauses, over a stretch of time (ms). */
export interface Stalls {
  loopP50: number;
  loopP99: number;
  loopMax: number;
  gcCount: number;
  gcTotal: number;
  /** The longest pause; null when only counts and totals are known (the server's /metrics). */
  gcMax: number | null;
  /** Of those, the young generation's (scavenges): their pause grows with what survives them. */
  scavengeCount: number;
  scavengeTotal: number;
  scavengeMax: number | null;
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
