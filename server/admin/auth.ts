// The admin API's one secret: a bearer token from MYTHOS_ADMIN_TOKEN or DATA_DIR/admin.token,
// compared in constant time. Failed attempts are slowed down by core/failure-throttle.ts.
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
