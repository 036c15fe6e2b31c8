import { describe, expect, it } from 'vitest';
import { FailureThrottle } from '../../../server/core/failure-throttle.js';

describe('FailureThrottle', () => {
  function clocked(opts: Partial<ConstructorParameters<typeof FailureThrottle>[0]> = {}) {
    let now = 1_000_000;
    const throttle = new FailureThrottle({ freeFailures: 3, baseDelayMs: 100, maxDelayMs: 1600, forgetAfterMs: 60_000, now: () => now, ...opts });
    return { throttle, advance: (ms: number) => (now += ms) };
  }

  it('lets the first failures through at full speed, then doubles the wait up to a cap', () => {
    const { throttle } = clocked();
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      waits.push(throttle.delayFor('10.0.0.1'));
      throttle.fail('10.0.0.1');
    }
    expect(waits).toEqual([0, 0, 0, 100, 200, 400, 800, 1600, 1600, 1600]);
    // Another address is not slowed down by the first one's failures.
    expect(throttle.delayFor('10.0.0.2')).toBe(0);
  });

  it('forgets an address after a success, or after a quiet while', () => {
    const { throttle, advance } = clocked();
    for (let i = 0; i < 5; i++) throttle.fail('a');
    expect(throttle.delayFor('a')).toBeGreaterThan(0);
    throttle.succeed('a');
    expect(throttle.delayFor('a')).toBe(0);

    for (let i = 0; i < 5; i++) throttle.fail('b');
    advance(59_000);
    expect(throttle.delayFor('b')).toBeGreaterThan(0);
    advance(2_000);
    expect(throttle.delayFor('b')).toBe(0);
    // A failure after the quiet while counts from one again.
    throttle.fail('b');
    expect(throttle.delayFor('b')).toBe(0);
  });

  it('remembers a bounded number of addresses, forgetting the stalest first', () => {
    const { throttle, advance } = clocked({ maxKeys: 100 });
    for (let i = 0; i < 5; i++) throttle.fail('persistent');
    for (let i = 0; i < 10_000; i++) {
      throttle.fail(`spray-${i}`);
      // The persistent attacker keeps failing, so it stays among the freshest.
      if (i % 50 === 0) throttle.fail('persistent');
      advance(1);
    }
    expect(throttle.size).toBe(100);
    expect(throttle.delayFor('persistent')).toBeGreaterThan(0);
    expect(throttle.delayFor('spray-0')).toBe(0);
  });
});
