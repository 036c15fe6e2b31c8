// The server's benchmark probe reports the CPU its own answers took (a forced GC, reading smaps),
// so that the CPU between two probes is the game's alone. Driven by a scripted CPU clock.
import { describe, expect, it } from 'vitest';
import { ProbeCpu } from '../../server/bench-hooks.js';

describe('ProbeCpu', () => {
  it('adds up the time from each probe’s arrival to its end, user and system alike', () => {
    const readings: NodeJS.CpuUsage[] = [
      { user: 1_000, system: 500 }, // first probe arrives
      { user: 4_000, system: 1_500 }, // ... and is done: 3,000 + 1,000 us of its own
      { user: 50_000, system: 9_000 }, // the game ran; the second probe arrives
      { user: 52_000, system: 9_500 }, // ... done: 2,500 us of its own
    ];
    let i = 0;
    const probes = new ProbeCpu(() => readings[i++]!);
    // What the benchmark reads from a probe's answer: the CPU at arrival, less the earlier probes'.
    const counted = () => {
      const cpu = probes.arrived();
      const value = cpu.user + cpu.system - probes.spentUs;
      probes.done();
      return value;
    };

    const before = counted();
    expect(probes.spentUs).toBe(4_000);
    const after = counted();
    expect(probes.spentUs).toBe(6_500);
    // The game's CPU from the end of the first probe (5,500 us) to the second's arrival (59,000).
    expect(after - before).toBe(59_000 - 5_500);
  });

  it('ignores a done() without a probe in progress', () => {
    const probes = new ProbeCpu(() => ({ user: 7, system: 7 }));
    probes.done();
    expect(probes.spentUs).toBe(0);
  });
});
