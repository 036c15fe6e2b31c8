import { describe, expect, it } from 'vitest';
import { loadMallocTrim, startMallocTrim } from '../../server/malloc-trim.js';
import { silentLogger } from '../../server/logger.js';

const log = silentLogger();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('malloc_trim at quiet times', () => {
  it('calls glibc malloc_trim on Linux', () => {
    const trim = loadMallocTrim(log);
    const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
    if (process.platform !== 'linux' || !report.header?.glibcVersionRuntime) {
      expect(trim).toBeNull();
      return;
    }
    expect(trim).not.toBeNull();
    // 1 if memory was released, 0 if there was none to release: either way the call went through.
    expect([0, 1]).toContain(trim!(0));
  });

  it('trims while the event loop is idle', async () => {
    const calls: number[] = [];
    const stop = startMallocTrim(log, { intervalMs: 50, trim: (pad) => (calls.push(pad), 0) });
    try {
      await sleep(400);
    } finally {
      stop();
    }
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((pad) => pad === 0)).toBe(true);
  });

  it('leaves a busy event loop alone', async () => {
    const calls: number[] = [];
    const stop = startMallocTrim(log, { intervalMs: 50, quietBelow: 0.2, trim: () => (calls.push(0), 0) });
    try {
      // Busy for ~95% of each interval: work in 19 ms slices with a 1 ms breath for the timer.
      const end = performance.now() + 500;
      while (performance.now() < end) {
        const slice = performance.now() + 19;
        while (performance.now() < slice) Math.sqrt(Math.random());
        await sleep(1);
      }
    } finally {
      stop();
    }
    expect(calls).toEqual([]);
  });
});
