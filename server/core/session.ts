// A player's session in the game: outlives any one connection (a link-dead body keeps it), owns
// the sequence numbers and the bounded replay buffer that a WebSocket `resume` reads.
import { randomBytes } from 'node:crypto';
import type { Connection } from './connection.js';
import type { Outbound } from './outbound.js';

export const REPLAY_LIMIT = 500;

export class PlayerSession {
  /** What a WebSocket `resume` presents. A new one is made when another login takes the body. */
  token = newToken();
  private seq = 0;
  // A ring of the last REPLAY_LIMIT events (index seq % REPLAY_LIMIT), kept only while the
  // session's client is one that can resume: it is most of an idle player's memory.
  private readonly ring: Array<Outbound | undefined> = [];
  private replays = true;
  connection: Connection | null = null;
  linkdeadTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly playerId: string,
    readonly name: string,
  ) {}

  send(out: Outbound): void {
    const seq = ++this.seq;
    if (this.replays) this.ring[seq % REPLAY_LIMIT] = out;
    this.connection?.deliver(out, seq);
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
    if (!this.replays || after > this.seq || this.seq - after > REPLAY_LIMIT) return false;
    if (!this.connection) return false;
    for (let s = after + 1; s <= this.seq; s++) {
      const out = this.ring[s % REPLAY_LIMIT];
      if (!out) return false;
    }
    for (let s = after + 1; s <= this.seq; s++) this.connection.deliver(this.ring[s % REPLAY_LIMIT]!, s);
    return true;
  }
}

function newToken(): string {
  return randomBytes(24).toString('base64url');
}
