// Gives the C heap's free pages back to the system once the server has gone quiet.
//
// V8 shrinks its own heap when a busy spell ends, but memory that Node's native side allocated with
// malloc (socket reads, write requests, SQLite's pages, V8's own GC work lists) is freed into
// glibc's arenas, and glibc only returns the very top of each arena. After a login rush of 1000
// players, malloc_stats() showed 26 MB held by the arenas and 10 MB in use: the other 16 MB stayed
// resident, a varying amount from run to run, for as long as the server lived. malloc_trim(0)
// releases the free pages in the middle of the arenas too (madvise), which only a native call can
// ask for; koffi calls it from libc. Off the glibc platforms (musl, macOS) this does nothing.
// The trim shrinks only the main arena's top, which is why `mythos serve` runs with one arena
// (bin/one-malloc-arena.js).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { Logger } from './logger.js';

export interface MallocTrimOptions {
  /** How often to look; a trim needs a whole quiet interval before it. */
  intervalMs?: number;
  /** Event-loop utilisation below which an interval counts as quiet. */
  quietBelow?: number;
  /** The trim to call (tests); by default libc's malloc_trim, where there is one. */
  trim?: Trim | null;
}

/** Starts the quiet-time trims; returns a stop function. Does nothing where malloc_trim is missing. */
export function startMallocTrim(log: Logger, opts: MallocTrimOptions = {}): () => void {
  const trim = opts.trim === undefined ? loadMallocTrim(log) : opts.trim;
  if (!trim) return () => {};
  const quietBelow = opts.quietBelow ?? 0.05;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    // Only when quiet, so no player waits on it; then every interval, because V8's idle-time GCs
    // go on freeing native memory for a while after the work stops.
    if (busy >= quietBelow) return;
    const rss0 = process.memoryUsage.rss();
    const t0 = performance.now();
    trim(0);
    const ms = performance.now() - t0;
    const freedMb = (rss0 - process.memoryUsage.rss()) / 1048576;
    if (freedMb >= 1) log.info({ ms: Number(ms.toFixed(2)), freedMb: Number(freedMb.toFixed(1)) }, 'malloc_trim gave memory back');
  }, opts.intervalMs ?? 5000);
  timer.unref();
  return () => clearInterval(timer);
}

export type Trim = (pad: number) => number;

/** libc's malloc_trim, or null where there is none (not glibc, or koffi has no binary here). */
export function loadMallocTrim(log: Logger): Trim | null {
  if (process.platform !== 'linux') return null;
  try {
    // koffi is CommonJS with a native part; required lazily so a platform without its prebuilt
    // binary still runs the game.
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const fn = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)');
    return (pad) => fn(pad) as number;
  } catch (err) {
    log.debug({ err: (err as Error).message }, 'malloc_trim not available: the C heap keeps its free pages');
    return null;
  }
}
