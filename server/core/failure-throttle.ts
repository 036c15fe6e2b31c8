// Failed attempts per key (an address, an account), and how long the next attempt from that key
// must wait: a few go at full speed, then each waits twice as long as the last. Used by the admin
// API for its token and by the game for passwords, on both doors.
export interface ThrottleOptions {
  /** Failures from one key answered at full speed before the slow-down starts. */
  freeFailures: number;
  /** The first delay; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key that has not failed for this long starts afresh. */
  forgetAfterMs: number;
  /** The most keys remembered; the one that failed longest ago is forgotten first. */
  maxKeys: number;
  now: () => number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeFailures: 3,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  forgetAfterMs: 15 * 60_000,
  maxKeys: 10_000,
  now: () => Date.now(),
};

/**
 * Failed attempts per key, and how long that key's next attempt must wait. Bounded: a
 * spray of keys evicts the oldest entries instead of growing the map.
 */
export class FailureThrottle {
  private readonly opts: ThrottleOptions;
  // Map keeps insertion order; a failure re-inserts its key, so the first key is the stalest.
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.opts = { ...DEFAULT_THROTTLE, ...opts };
  }

  /** Milliseconds an attempt from `key` waits before its token is even looked at. */
  delayFor(key: string): number {
    const entry = this.failures.get(key);
    if (!entry) return 0;
    if (this.opts.now() - entry.last > this.opts.forgetAfterMs) {
      this.failures.delete(key);
      return 0;
    }
    const over = entry.count - this.opts.freeFailures;
    if (over < 0) return 0;
    return Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.min(over, 30));
  }

  fail(key: string): void {
    const now = this.opts.now();
    const entry = this.failures.get(key);
    const fresh = !entry || now - entry.last > this.opts.forgetAfterMs;
    this.failures.delete(key);
    this.failures.set(key, { count: fresh ? 1 : entry.count + 1, last: now });
    while (this.failures.size > this.opts.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  get size(): number {
    return this.failures.size;
  }
}
