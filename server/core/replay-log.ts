// The events kept for a WebSocket `resume`, as UTF-8 bytes in one circular buffer outside the
// JavaScript heap, shared by every session of a game: a session's replay buffer holds only where
// its events are. Outside the heap, because events kept on it for seconds made the garbage
// collector's pauses the largest part of the latency tail (docs/PERFORMANCE.md).
//
// The buffer is overwritten from its start once full, so how much history it holds depends on the
// traffic and its size (--replay-log-mb, 8 MiB by default: some 25,000 events of a few hundred
// bytes, a long while in a quiet game and seconds in the busiest). An event that has been overwritten cannot be replayed, and the session
// sends a fresh game_state instead, as PROTOCOL.md allows.
import type { TextPiece } from './outbound.js';

export const REPLAY_LOG_BYTES = 8 * 1024 * 1024;

/** Where one stored event is: its global position, its length, and the length of its head. */
export interface Stored {
  readonly pos: number;
  readonly bytes: number;
  readonly headBytes: number;
}

export class ReplayLog {
  /**
   * Allocated at the first event kept (a server with no WebSocket players never needs it), and
   * written through at once: a fixed cost then, rather than RSS that creeps up by the log's size
   * as the first laps of traffic reach its pages.
   */
  private buf: Buffer | null = null;
  /**
   * Bytes written since the start, counting the unused end of each lap: the global position of
   * the next byte (a float, exact to 2^53 bytes). Position p lives at buf[p % capacity].
   */
  private written = 0;

  constructor(readonly capacity = REPLAY_LOG_BYTES) {}

  /** Bytes of memory the log holds: its capacity once the first event came, else 0. */
  get allocated(): number {
    return this.buf ? this.capacity : 0;
  }

  /** Bytes written since the start (what went round, counted each lap). */
  get writtenBytes(): number {
    return this.written;
  }

  /**
   * Stores an event's JSON, in two pieces (the text before and after its sequence number), and
   * says where; null if it is too big to keep (over a quarter of the buffer).
   */
  append(head: TextPiece, tail: TextPiece): Stored | null {
    const bytes = head.bytes + tail.bytes;
    if (bytes > this.capacity / 4) return null;
    this.buf ??= Buffer.allocUnsafeSlow(this.capacity).fill(0);
    // An event is never split across the end of the buffer: the rest of the lap is left unused.
    const room = this.capacity - (this.written % this.capacity);
    if (room < bytes) this.written += room;
    const pos = this.written;
    const at = pos % this.capacity;
    this.buf.write(head.text, at, head.bytes, 'utf8');
    this.buf.write(tail.text, at + head.bytes, tail.bytes, 'utf8');
    this.written += bytes;
    return { pos, bytes, headBytes: head.bytes };
  }

  /** Whether the event at `pos` is still whole: nothing written since has reached its bytes. */
  intact(pos: number, bytes: number): boolean {
    return pos >= 0 && this.buf !== null && pos + bytes <= this.written && this.written - pos <= this.capacity;
  }

  /** The stored JSON with `seq` as its sequence number; null if it has been overwritten. */
  json(pos: number, bytes: number, headBytes: number, seq: number): string | null {
    if (!this.intact(pos, bytes)) return null;
    const at = pos % this.capacity;
    return this.buf!.toString('utf8', at, at + headBytes) + seq + this.buf!.toString('utf8', at + headBytes, at + bytes);
  }
}
