// What a connection has sent and the game has not yet run: a bounded queue, run in order at a
// steady pace, the same for both doors. A speedwalk, a pasted text or a client's trigger burst is
// queued and played out, as classic MUDs do, instead of being thrown away; only what does not fit
// the queue is dropped, with one notice, and a connection that keeps it full is cut off.
//
// The pace is a token bucket: `burst` lines run the moment they arrive, then `perSecond`. Waiting
// lines cost a timer per connection, nothing else: no one else's commands wait for them.
import { TokenBucket } from '../token-bucket.js';

export interface InputLimits {
  /** Lines (or frames) waiting at most, and their bytes at most. */
  maxLines: number;
  maxBytes: number;
  /** The pace: this many a second once the burst is spent. */
  perSecond: number;
  burst: number;
  /** A queue still overflowing this long after its first overflow gets its connection cut. */
  floodMs: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxLines: 200,
  maxBytes: 32 * 1024,
  perSecond: 20,
  burst: 60,
  floodMs: 30_000,
};

/** What a player hears the first time a line is dropped, on either door. */
export function overflowNotice(waiting: number): string {
  return `Too much input at once: ${waiting} lines are waiting to run, and what you send until they have is dropped.`;
}

/** Why a connection that kept its queue overflowing is cut off. */
export const FLOOD_NOTICE = 'You kept sending far more than the game can run, for too long; disconnected.';

export interface InputQueueEvents<T> {
  /** Runs one line; errors are the caller's to catch (the doors end the connection). */
  run(item: T): void;
  /** The first line dropped in a spell of overflow: tell the player, once. */
  overflowed(): void;
  /** The queue has overflowed for `floodMs` without draining: it has closed, the connection must go. */
  flooded(): void;
}

export class InputQueue<T> {
  // At most maxLines long, so shift() is cheap enough.
  private readonly items: Array<{ item: T; bytes: number }> = [];
  private bytes = 0;
  private readonly bucket: TokenBucket;
  private timer: NodeJS.Timeout | null = null;
  /** When the current spell of overflow began; null while the queue has room. */
  private overflowSince: number | null = null;
  private held = false;
  private closed = false;

  constructor(
    private readonly events: InputQueueEvents<T>,
    private readonly limits: InputLimits = DEFAULT_INPUT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.bucket = new TokenBucket(limits.perSecond, limits.burst, now);
  }

  /** Lines waiting. */
  get length(): number {
    return this.items.length;
  }

  push(item: T, bytes: number): void {
    if (this.closed) return;
    // The common case, a player typing: nothing waits, the bucket has a token, the line runs now.
    if (this.length === 0 && !this.held && this.bucket.take()) {
      this.events.run(item);
      return;
    }
    if (this.length >= this.limits.maxLines || this.bytes + bytes > this.limits.maxBytes) {
      this.overflow();
      return;
    }
    this.items.push({ item, bytes });
    this.bytes += bytes;
    this.schedule();
  }

  /**
   * Holds the queue (lines still queue, none run) while the connection waits on something that
   * decides where the next line goes: the telnet login's password check.
   */
  hold(): void {
    this.held = true;
    this.clearTimer();
  }

  /** Runs what waited, on a later turn: the caller is usually in the middle of its own work. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.length > 0 && !this.timer && !this.closed) this.timer = setTimeout(() => this.drain(), 0);
  }

  /** The connection is gone: nothing more runs. */
  close(): void {
    this.closed = true;
    this.clearTimer();
    this.items.length = 0;
    this.bytes = 0;
  }

  private overflow(): void {
    const now = this.now();
    if (this.overflowSince === null) {
      this.overflowSince = now;
      this.events.overflowed();
    } else if (now - this.overflowSince >= this.limits.floodMs) {
      this.close(); // once: nothing more runs, and the door closes the connection
      this.events.flooded();
    }
  }

  private schedule(): void {
    if (this.timer || this.held || this.closed) return;
    this.timer = setTimeout(() => this.drain(), this.bucket.msUntilToken());
  }

  private drain(): void {
    this.timer = null;
    while (this.length > 0 && !this.held && !this.closed && this.bucket.take()) {
      const { item, bytes } = this.items.shift()!;
      this.bytes -= bytes;
      this.events.run(item);
    }
    // Once half the room is free again, an overflow is a new spell: a notice of its own.
    if (this.length <= this.limits.maxLines / 2 && this.bytes <= this.limits.maxBytes / 2) this.overflowSince = null;
    if (this.length > 0) this.schedule();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
