import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN_FILE, bearerToken, loadAdminToken, tokenMatches } from '../../../server/admin/auth.js';
import { recordingLogger, tempDir } from '../helpers.js';

const dirs: string[] = [];
function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the admin token', () => {
  it('is created at first start: 256 random bits in DATA_DIR/admin.token, mode 0600', () => {
    const d = dir();
    const { log, lines } = recordingLogger();
    const token = loadAdminToken(d, {}, log);
    const file = join(d, TOKEN_FILE);
    expect(token).toMatchObject({ source: 'file', file });
    expect(token.value).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(token.value);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lines.some((l) => l.msg === 'admin token created')).toBe(true);
    // Another start reads the same token rather than making a new one.
    expect(loadAdminToken(d, {}, log).value).toBe(token.value);
    // Two fresh data dirs get different tokens.
    expect(loadAdminToken(dir(), {}, log).value).not.toBe(token.value);
  });

  it('creates the data dir if it does not exist yet', () => {
    const d = join(dir(), 'not', 'yet');
    const token = loadAdminToken(d, {}, recordingLogger().log);
    expect(existsSync(join(d, TOKEN_FILE))).toBe(true);
    expect(token.value).toHaveLength(64);
  });

  it('comes from MYTHOS_ADMIN_TOKEN when set, and then no file is written', () => {
    const d = dir();
    const token = loadAdminToken(d, { MYTHOS_ADMIN_TOKEN: '  from-the-environment-123  ' }, recordingLogger().log);
    expect(token).toEqual({ value: 'from-the-environment-123', source: 'env', file: null });
    expect(existsSync(join(d, TOKEN_FILE))).toBe(false);
  });

  it('tightens a token file that others could read to 0600, and says so', () => {
    const d = dir();
    const file = join(d, TOKEN_FILE);
    writeFileSync(file, 'an-existing-token-of-some-length\n');
    chmodSync(file, 0o644);
    const { log, lines } = recordingLogger();
    expect(loadAdminToken(d, {}, log).value).toBe('an-existing-token-of-some-length');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('readable by others'))).toBe(true);
  });

  it('replaces an empty token file with a new token', () => {
    const d = dir();
    writeFileSync(join(d, TOKEN_FILE), '\n', { mode: 0o644 });
    const token = loadAdminToken(d, {}, recordingLogger().log);
    expect(token.value).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(d, TOKEN_FILE)).mode & 0o777).toBe(0o600);
  });
});

describe('tokenMatches', () => {
  const secret = 'a'.repeat(64);
  it('accepts only the exact token', () => {
    expect(tokenMatches(secret, secret)).toBe(true);
    expect(tokenMatches(secret, 'a'.repeat(63) + 'b')).toBe(false);
    expect(tokenMatches(secret, secret.toUpperCase())).toBe(false);
  });
  it('refuses other lengths, an empty and a missing token without throwing', () => {
    expect(tokenMatches(secret, 'a')).toBe(false);
    expect(tokenMatches(secret, secret + 'a')).toBe(false);
    expect(tokenMatches(secret, '')).toBe(false);
    expect(tokenMatches(secret, undefined)).toBe(false);
  });
});

describe('bearerToken', () => {
  it('reads `Bearer TOKEN` and nothing else', () => {
    expect(bearerToken('Bearer abc123')).toBe('abc123');
    expect(bearerToken('bearer  abc123 ')).toBe('abc123');
    expect(bearerToken('Basic abc123')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
