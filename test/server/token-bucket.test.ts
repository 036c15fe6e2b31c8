import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../server/token-bucket.js';

describe('TokenBucket', () => {
  it('allows the burst, then refills at the rate, never above the burst', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 500; // one token back
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 60_000; // a long quiet spell refills only up to the burst
    const taken = Array.from({ length: 5 }, () => bucket.take()).filter(Boolean).length;
    expect(taken).toBe(3);
  });
});
