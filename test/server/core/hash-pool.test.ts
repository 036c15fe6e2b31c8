import { scryptSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HashPool } from '../../../server/core/hash-pool.js';

const PARAMS = { N: 1024, r: 8, p: 1, maxmem: 32 * 1024 * 1024 };

/** The nice values of this process's threads (Linux: field 19 of /proc/self/task/TID/stat). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[16]); // field 19 overall; the two before the ')' are pid and comm
  });
}

describe('HashPool', () => {
  it('derives the same keys as scryptSync, many at once', async () => {
    const pool = new HashPool(2);
    const salts = Array.from({ length: 8 }, (_, i) => Buffer.from(`salt-${i}`));
    const keys = await Promise.all(salts.map((salt, i) => pool.scrypt(`pw-${i}`, salt, 32, PARAMS)));
    keys.forEach((key, i) => expect(key.equals(scryptSync(`pw-${i}`, salts[i]!, 32, PARAMS))).toBe(true));
  });

  it('rejects impossible parameters instead of throwing or hanging', async () => {
    const pool = new HashPool(1);
    await expect(pool.scrypt('pw', Buffer.from('salt'), 32, { ...PARAMS, N: 3 })).rejects.toThrow();
    // The worker is still usable afterwards.
    const key = await pool.scrypt('pw', Buffer.from('salt'), 32, PARAMS);
    expect(key).toHaveLength(32);
  });

  it.runIf(process.platform === 'linux')('hashes on threads of lower priority than the game loop', async () => {
    const before = threadNices().filter((n) => n === 10).length;
    const pool = new HashPool(1);
    await pool.scrypt('pw', Buffer.from('salt'), 32, PARAMS);
    expect(threadNices().filter((n) => n === 10).length).toBe(before + 1);
    expect(threadNices()[0]).toBe(0); // the main thread is left as it was
  });
});
