// scrypt in separate low-priority processes. The async crypto.scrypt already keeps hashing off the
// event loop, but on libuv's pool its threads compete with the game loop as equals (a login rush
// starves the players already in the game; docs/PERFORMANCE.md), and every hashing thread keeps
// scrypt's 16 MiB in the server's memory afterwards.
// Here the hashing runs in child processes at nice 10: the scheduler gives the game loop the CPU
// whenever it wants it, hashing takes what is left (every core on an idle server), and the memory
// scrypt needs is the children's, given back when they retire after a quiet spell.
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, setPriority } from 'node:os';
import { compiledModule } from '../compiled.js';

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

/** What hash-worker.ts is asked, and answers. */
export interface HashRequest {
  id: number;
  password: string;
  /** base64 */
  salt: string;
  keylen: number;
  params: ScryptParams;
}
export type HashReply = { id: number; key: string; error?: undefined } | { id: number; key?: undefined; error: string };


/** A child idle this long is stopped; a new one starts in well under a second when needed. */
const IDLE_MS = 10_000;

interface Slot {
  child: ChildProcess;
  jobs: Map<number, Job>;
  idleTimer: NodeJS.Timeout | null;
}

export class HashPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;

  constructor(private readonly size = Math.max(1, availableParallelism())) {}

  scrypt(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
    const slot = this.slot();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject });
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      holdOpen(slot.child, true); // a job in flight keeps the server's process up until answered
      const request: HashRequest = { id, password, salt: salt.toString('base64'), keylen, params };
      slot.child.send(request);
    });
  }

  /** The process ids of the hashing children (for tests). */
  pids(): number[] {
    return this.slots.map((s) => s.child.pid ?? 0).filter((pid) => pid > 0);
  }

  /** The least busy child, starting a new one while there are fewer than `size`. */
  private slot(): Slot {
    let best: Slot | undefined;
    for (const s of this.slots) if (!best || s.jobs.size < best.jobs.size) best = s;
    if (best && (best.jobs.size === 0 || this.slots.length >= this.size)) return best;
    return this.spawn();
  }

  private spawn(): Slot {
    // No execArgv of ours (a profiler's flags, say): the child is a plain node running one file.
    const child = fork(compiledModule(import.meta.url, './hash-worker.js'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
    const slot: Slot = { child, jobs: new Map(), idleTimer: null };
    try {
      if (child.pid) setPriority(child.pid, 10);
    } catch {
      // Not allowed to renice here: it still hashes off the event loop, at normal priority.
    }
    const idle = () => {
      holdOpen(child, false); // an idle pool never holds the server's process open
      slot.idleTimer = setTimeout(() => this.retire(slot), IDLE_MS);
      slot.idleTimer.unref();
    };
    idle();
    child.on('message', (msg: HashReply) => {
      const job = slot.jobs.get(msg.id);
      if (!job) return;
      slot.jobs.delete(msg.id);
      if (slot.jobs.size === 0) idle();
      if (msg.key !== undefined) job.resolve(Buffer.from(msg.key, 'base64'));
      else job.reject(new Error(msg.error ?? 'scrypt failed'));
    });
    const fail = (err: Error) => {
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const job of slot.jobs.values()) job.reject(err);
      slot.jobs.clear();
    };
    child.on('error', fail);
    child.on('exit', (code, signal) => fail(new Error(`hash process ended (${signal ?? code})`)));
    this.slots.push(slot);
    return slot;
  }

  /** Every child retires now; a later scrypt starts a new one. */
  close(): void {
    for (const slot of [...this.slots]) {
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      holdOpen(slot.child, false);
      if (slot.child.connected) slot.child.disconnect();
    }
  }

  private retire(slot: Slot): void {
    if (slot.jobs.size > 0) return;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.child.disconnect();
  }
}

/** The child and its IPC channel both count as work that keeps the event loop alive. */
function holdOpen(child: ChildProcess, hold: boolean): void {
  // The channel's ref/unref exist at runtime but are not in @types/node's ChildProcess.channel.
  const channel = child.channel as { ref?: () => void; unref?: () => void } | null | undefined;
  if (hold) {
    child.ref();
    channel?.ref?.();
  } else {
    child.unref();
    channel?.unref?.();
  }
}
