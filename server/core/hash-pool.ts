// scrypt on worker threads that run at a low CPU priority. The async crypto.scrypt already keeps
// hashing off the event loop, but on libuv's pool its threads compete with the game loop as equals:
// on 2 cores, a storm of 1,000 registrations left the game loop a fraction of a core and tripled
// its fanout latency. Here each hashing thread lowers its own priority (nice 10) at start, so the
// scheduler gives the game loop the CPU whenever it wants it and hashing takes what is left; on an
// idle server hashing still uses every core.
import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

interface Job {
  resolve(key: Buffer): void;
  reject(err: Error): void;
}

// Plain CommonJS evaluated in the worker: a file would need the TypeScript loader in every worker.
// setpriority() on a thread id renices that thread alone (Linux); elsewhere it stays as it is.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) require('node:os').setPriority(tid, 10);
} catch {}
parentPort.on('message', ({ id, password, salt, keylen, params }) => {
  try {
    const key = scryptSync(password, Buffer.from(salt), keylen, params);
    parentPort.postMessage({ id, key });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message || err) });
  }
});
`;

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
}

export class HashPool {
  private readonly slots: Slot[] = [];
  private nextId = randomInt(1 << 30);

  constructor(private readonly size = Math.max(1, availableParallelism())) {}

  scrypt(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
    const slot = this.slot();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject });
      if (slot.jobs.size === 1) slot.worker.ref(); // keep the process up while work is in flight
      slot.worker.postMessage({ id, password, salt, keylen, params });
    });
  }

  /** The least busy worker, starting a new one while there are fewer than `size`. */
  private slot(): Slot {
    let best: Slot | undefined;
    for (const s of this.slots) if (!best || s.jobs.size < best.jobs.size) best = s;
    if (best && (best.jobs.size === 0 || this.slots.length >= this.size)) return best;
    return this.spawn();
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const slot: Slot = { worker, jobs: new Map() };
    worker.unref(); // an idle pool never holds the process open
    worker.on('message', (msg: { id: number; key?: Uint8Array; error?: string }) => {
      const job = slot.jobs.get(msg.id);
      if (!job) return;
      slot.jobs.delete(msg.id);
      if (slot.jobs.size === 0) worker.unref();
      if (msg.key) job.resolve(Buffer.from(msg.key));
      else job.reject(new Error(msg.error ?? 'scrypt failed'));
    });
    const fail = (err: Error) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const job of slot.jobs.values()) job.reject(err);
      slot.jobs.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`hash worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }
}
