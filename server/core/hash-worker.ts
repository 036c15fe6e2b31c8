// The hashing child of hash-pool.ts: one scrypt per message on its IPC channel, answered with the
// same id. It is a process of its own so that the scheduler can run it below the game (nice 10).
import { scryptSync } from 'node:crypto';
import type { HashReply, HashRequest } from './hash-pool.js';

process.on('message', ({ id, password, salt, keylen, params }: HashRequest) => {
  let reply: HashReply;
  try {
    reply = { id, key: scryptSync(password, Buffer.from(salt, 'base64'), keylen, params).toString('base64') };
  } catch (err) {
    reply = { id, error: err instanceof Error ? err.message : String(err) };
  }
  process.send?.(reply);
});
// The server went away (or retired this child): nothing more to do.
process.on('disconnect', () => process.exit(0));
