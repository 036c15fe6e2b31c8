// The stall watch the benchmark reads around travel's moves: GC pauses, and which of them were
// scavenges (young-generation GCs).
import { describe, expect, it } from 'vitest';
import { stallWatch } from '../../bench/stalls.js';

describe('stallWatch', () => {
  it('counts the scavenges among the GC pauses', async () => {
    const watch = stallWatch();
    try {
      watch.read(); // from here on
      // Short-lived garbage, far more than a young generation holds: V8 must scavenge. The ring
      // keeps each object reachable for a moment, so no optimisation can skip allocating it.
      const ring: Array<{ i: number }> = new Array(1024);
      for (let i = 0; i < 2_000_000; i++) ring[i & 1023] = { i };
      expect(ring[(2_000_000 - 1) & 1023]!.i).toBe(2_000_000 - 1);
      await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries arrive in a later task
      const s = watch.read();
      expect(s.scavengeCount).toBeGreaterThan(0);
      expect(s.scavengeCount).toBeLessThanOrEqual(s.gcCount);
      expect(s.scavengeTotal).toBeLessThanOrEqual(s.gcTotal);
      expect(s.scavengeMax!).toBeLessThanOrEqual(s.gcMax!);
      expect(s.scavengeMax).toBeGreaterThan(0);
    } finally {
      watch.stop();
    }
  });
});
