// The admin API's one secret: a bearer token from MYTHOS_ADMIN_TOKEN or DATA_DIR/admin.token,
// compared in constant time, with failed attempts from one address slowed down.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

export const TOKEN_FILE = 'admin.token';

export interface AdminToken {
  value: string;
  source: 'env' | 'file';
  /** The token file, when the token came from (or was written to) one. */
  file: string | null;
}

/** 256 random bits, hex: safe to paste into a shell or an Authorization header. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * MYTHOS_ADMIN_TOKEN if set, else DATA_DIR/admin.token, created on first start with mode 0600.
 * A token file that others can read is tightened to 0600 (and the fact logged).
 */
export function loadAdminToken(dataDir: string, env: NodeJS.ProcessEnv, log: Logger): AdminToken {
  const fromEnv = env.MYTHOS_ADMIN_TOKEN?.trim();
  if (fromEnv) {
    if (fromEnv.length < 16) log.warn('MYTHOS_ADMIN_TOKEN is shorter than 16 characters: easy to guess');
    return { value: fromEnv, source: 'env', file: null };
  }
  const file = join(dataDir, TOKEN_FILE);
  mkdirSync(dataDir, { recursive: true });
  let value = '';
  try {
    value = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (!value) {
    value = newToken();
    // mode applies when the file is created; chmod covers an empty file that was already there.
    writeFileSync(file, value + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    log.info({ file }, 'admin token created');
    return { value, source: 'file', file };
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    chmodSync(file, 0o600);
    log.warn({ file, mode: mode.toString(8) }, 'admin token file was readable by others; now 0600');
  }
  return { value, source: 'file', file };
}

/**
 * Constant time whatever the input: both sides are hashed first, so the comparison is always of
 * two 32-byte digests and neither the length nor a common prefix of the token leaks through timing.
 */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer TOKEN` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return m?.[1];
}

export interface ThrottleOptions {
  /** Failures from one address answered at full speed before the slow-down starts. */
  freeFailures: number;
  /** The first delay; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** An address that has not failed for this long starts afresh. */
  forgetAfterMs: number;
  /** The most addresses remembered; the one that failed longest ago is forgotten first. */
  maxAddresses: number;
  now: () => number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeFailures: 3,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  forgetAfterMs: 15 * 60_000,
  maxAddresses: 10_000,
  now: () => Date.now(),
};

/**
 * Failed logins per address, and how long that address's next attempt must wait. Bounded: a
 * spray of addresses evicts the oldest entries instead of growing the map.
 */
export class FailureThrottle {
  private readonly opts: ThrottleOptions;
  // Map keeps insertion order; a failure re-inserts its address, so the first key is the stalest.
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.opts = { ...DEFAULT_THROTTLE, ...opts };
  }

  /** Milliseconds an attempt from `addr` waits before its token is even looked at. */
  delayFor(addr: string): number {
    const entry = this.failures.get(addr);
    if (!entry) return 0;
    if (this.opts.now() - entry.last > this.opts.forgetAfterMs) {
      this.failures.delete(addr);
      return 0;
    }
    const over = entry.count - this.opts.freeFailures;
    if (over < 0) return 0;
    return Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.min(over, 30));
  }

  fail(addr: string): void {
    const now = this.opts.now();
    const entry = this.failures.get(addr);
    const fresh = !entry || now - entry.last > this.opts.forgetAfterMs;
    this.failures.delete(addr);
    this.failures.set(addr, { count: fresh ? 1 : entry.count + 1, last: now });
    while (this.failures.size > this.opts.maxAddresses) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  succeed(addr: string): void {
    this.failures.delete(addr);
  }

  get size(): number {
    return this.failures.size;
  }
}
