import { scryptSync } from 'node:crypto';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { HashPool } from '../../../server/core/hash-pool.js';

const PARAMS = { N: 1024, r: 8, p: 1, maxmem: 32 * 1024 * 1024 };

describe('HashPool', () => {
  it('derives the same keys as scryptSync, many at once', async () => {
    const pool = new HashPool(2);
    const salts = Array.from({ length: 8 }, (_, i) => Buffer.from(`salt-${i}`));
    const keys = await Promise.all(salts.map((salt, i) => pool.scrypt(`pw-${i}`, salt, 32, PARAMS)));
    keys.forEach((key, i) => expect(key.equals(scryptSync(`pw-${i}`, salts[i]!, 32, PARAMS))).toBe(true));
    expect(pool.pids().length).toBe(2);
  });

  it('rejects impossible parameters instead of throwing or hanging, and keeps working', async () => {
    const pool = new HashPool(1);
    await expect(pool.scrypt('pw', Buffer.from('salt'), 32, { ...PARAMS, N: 3 })).rejects.toThrow();
    const key = await pool.scrypt('pw', Buffer.from('salt'), 32, PARAMS);
    expect(key).toHaveLength(32);
  });

  it('hashes in a process of lower priority than the game loop', async () => {
    const pool = new HashPool(1);
    await pool.scrypt('pw', Buffer.from('salt'), 32, PARAMS);
    const [pid] = pool.pids();
    expect(pid).toBeGreaterThan(0);
    expect(getPriority(pid!)).toBeGreaterThan(getPriority());
  });
});
