// tokenMatches must not compare the strings themselves (=== stops at the first difference and
// leaks the length): it compares two SHA-256 digests with crypto.timingSafeEqual.
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => [] as Array<[Buffer, Buffer]>);
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.push([Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)]);
      return real.timingSafeEqual(a, b);
    },
  };
});

const { tokenMatches } = await import('../../../server/admin/auth.js');

describe('tokenMatches is constant time', () => {
  it('compares equal-length digests with timingSafeEqual, whatever the lengths of the tokens', () => {
    const secret = 'f'.repeat(64);
    for (const presented of [secret, 'short', secret + 'longer', '', 'f'.repeat(63) + 'e']) {
      calls.length = 0;
      expect(tokenMatches(secret, presented)).toBe(presented === secret);
      expect(calls).toHaveLength(1);
      const [a, b] = calls[0]!;
      expect(a.length).toBe(32);
      expect(b.length).toBe(32);
      // Digests, not the tokens themselves.
      expect(a.toString('utf8')).not.toContain('ffff');
    }
  });
});
