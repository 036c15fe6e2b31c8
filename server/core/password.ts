// Password hashing with scrypt, in low-priority child processes (hash-pool.ts), so a burst of
// logins never stalls the game loop for the players already in it. One per game: its pool is the
// game's, not the process's.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { HashPool, type ScryptParams } from './hash-pool.js';

const KEYLEN = 32;
// N=2^14, r=8, p=1: the interactive-login parameters of the scrypt paper (~16 MiB, tens of ms).
const PARAMS: ScryptParams = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export class Passwords {
  constructor(private readonly pool: HashPool = new HashPool()) {}

  private derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
    return this.pool.scrypt(password.normalize('NFKC'), salt, KEYLEN, params);
  }

  /** `scrypt$N$r$p$salt$hash`, base64 parts: the parameters travel with the hash. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.derive(password, salt, PARAMS);
    return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [kind, n, r, p, salt, hash] = stored.split('$');
    if (kind !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64');
    let key: Buffer;
    try {
      key = await this.derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem });
    } catch {
      // A damaged stored hash (bad parameters) is a failed login, not a crashed dialogue.
      return false;
    }
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /** The game is stopping: the hashing children go now rather than after their idle time. */
  close(): void {
    this.pool.close();
  }
}
