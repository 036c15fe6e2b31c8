// A player's session in the game: outlives any one connection (a link-dead body keeps it), owns
// the sequence numbers and the bounded replay buffer that a WebSocket `resume` reads.
import { randomBytes } from 'node:crypto';
import type { Connection } from './connection.js';
import type { Outbound } from './outbound.js';

export const REPLAY_LIMIT = 500;
/**
 * The replay buffer also stops at this many bytes of JSON. An idle player in a crowded room would
 * otherwise hold hundreds of room lists, each naming everyone there: O(players^2) memory. A resume
 * past what is held gets a fresh game_state instead, as PROTOCOL.md allows.
 */
export const REPLAY_BUDGET_BYTES = 128 * 1024;

export class PlayerSession {
  /** What a WebSocket `resume` presents. A new one is made when another login takes the body. */
  token = newToken();
  private seq = 0;
  // A ring of the last REPLAY_LIMIT events (index seq % REPLAY_LIMIT), kept only while the
  // session's client is one that can resume: it is most of an idle player's memory.
  private readonly ring: Array<Outbound | undefined> = [];
  /**
   * The JSON bytes of each event in the ring, by the same index: dropping the oldest then reads a
   * number here rather than the old event itself, which has long left the CPU's caches (in the
   * travel benchmark, drop's reads of old events were 2.6 % of the server's busy time).
   */
  private readonly ringSizes: number[] = [];
  private replays = true;
  /** The oldest sequence number the ring still holds, and the JSON bytes it holds. */
  private oldest = 1;
  private ringBytes = 0;
  connection: Connection | null = null;
  linkdeadTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly playerId: string,
    readonly name: string,
  ) {}

  send(out: Outbound): void {
    const seq = ++this.seq;
    this.connection?.deliver(out, seq);
    if (this.replays) this.keep(seq, out);
  }

  /** Into the ring, dropping the oldest entries past the count or the byte budget. */
  private keep(seq: number, out: Outbound): void {
    const bytes = out.jsonBytes;
    while (this.oldest < seq && (seq - this.oldest >= REPLAY_LIMIT || this.ringBytes + bytes > REPLAY_BUDGET_BYTES)) {
      this.drop(this.oldest++);
    }
    this.ring[seq % REPLAY_LIMIT] = out;
    this.ringSizes[seq % REPLAY_LIMIT] = bytes;
    this.ringBytes += bytes;
    out.sealAfterFanOut();
  }

  private drop(seq: number): void {
    const slot = seq % REPLAY_LIMIT;
    if (this.ring[slot] === undefined) return;
    this.ringBytes -= this.ringSizes[slot]!;
    this.ring[slot] = undefined;
  }

  get lastSequence(): number {
    return this.seq;
  }

  /**
   * A newly logged-in connection counts on from the frames it sent before login (PROTOCOL: per
   * connection, from 1, +1 per frame); the old connection's events are not its to replay.
   */
  restartSequence(after: number, replays = true): void {
    this.seq = after;
    this.ring.length = 0;
    this.ringSizes.length = 0;
    this.oldest = after + 1;
    this.ringBytes = 0;
    this.replays = replays;
  }

  /** Another login took the body: a client displaced by it cannot `resume` its way back. */
  rotateToken(): void {
    this.token = newToken();
  }

  /**
   * Re-sends everything after `after` to the current connection, in order. Returns false (and
   * sends nothing) when the buffer no longer holds all of it, or when `after` is in the future.
   */
  replayAfter(after: number): boolean {
    if (!this.replays || after > this.seq || after + 1 < this.oldest) return false;
    if (!this.connection) return false;
    // Everything from `oldest` to `seq` is held (keep/drop maintain it), so no gap to look for.
    for (let s = after + 1; s <= this.seq; s++) this.connection.deliver(this.ring[s % REPLAY_LIMIT]!, s);
    return true;
  }
}

function newToken(): string {
  return randomBytes(24).toString('base64url');
}
