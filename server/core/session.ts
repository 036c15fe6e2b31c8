// A player's session in the game: outlives any one connection (a link-dead body keeps it), owns
// the sequence numbers and the bounded replay buffer that a WebSocket `resume` reads.
import { randomBytes } from 'node:crypto';
import { DEFAULT_SETTINGS, type PlayerSettings } from '../../shared/protocol.js';
import type { Connection } from './connection.js';
import { Outbound } from './outbound.js';
import { ReplayLog } from './replay-log.js';

export const REPLAY_LIMIT = 500;
/**
 * The replay buffer also stops at this many bytes of JSON: a resume in a crowded room would
 * otherwise replay hundreds of room lists, each naming everyone there, where one fresh game_state
 * says it all. A resume past what is held gets that fresh game_state, as PROTOCOL.md allows.
 */
export const REPLAY_BUDGET_BYTES = 128 * 1024;

export class PlayerSession {
  /** What a WebSocket `resume` presents. A new one is made when another login takes the body. */
  token = newToken();
  private seq = 0;
  /**
   * The last REPLAY_LIMIT events (index seq % REPLAY_LIMIT) as places in the replay log, kept only
   * while the session's client is one that can resume: the event's position, its JSON bytes and
   * the bytes of its head. Made at the first event kept (telnet sessions keep none), and grown
   * as events come rather than made at full size: many sessions end after a few events.
   */
  private ring: { pos: number[]; bytes: number[]; headBytes: number[] } | null = null;
  private replays = true;
  /** The oldest sequence number the ring still holds, and the JSON bytes it holds. */
  private oldest = 1;
  private ringBytes = 0;
  connection: Connection | null = null;
  /** The account's screen settings, as the player last set them (the store keeps them too). */
  settings: PlayerSettings = DEFAULT_SETTINGS;
  linkdeadTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly playerId: string,
    readonly name: string,
    /** The game's replay log, where a WebSocket session keeps its events as bytes. */
    private readonly log: ReplayLog,
  ) {}

  send(out: Outbound): void {
    const seq = ++this.seq;
    this.connection?.deliver(out, seq);
    if (this.replays) this.keep(seq, out);
  }

  /** Into the ring, dropping the oldest entries past the count or the byte budget. */
  private keep(seq: number, out: Outbound): void {
    const stored = out.storeIn(this.log);
    // Too big for the log: the ring holds it as a gap, so a resume from before it gets a fresh state.
    const bytes = stored ? stored.bytes : 0;
    const ring = (this.ring ??= { pos: [], bytes: [], headBytes: [] });
    while (this.oldest < seq && (seq - this.oldest >= REPLAY_LIMIT || this.ringBytes + bytes > REPLAY_BUDGET_BYTES)) {
      this.ringBytes -= ring.bytes[this.oldest++ % REPLAY_LIMIT]!;
    }
    const slot = seq % REPLAY_LIMIT;
    ring.pos[slot] = stored ? stored.pos : -1;
    ring.bytes[slot] = bytes;
    ring.headBytes[slot] = stored ? stored.headBytes : 0;
    this.ringBytes += bytes;
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
   * sends nothing) when the buffer no longer holds all of it (past its bounds, or overwritten in
   * the log), or when `after` is in the future.
   */
  replayAfter(after: number): boolean {
    if (!this.replays || after > this.seq || after + 1 < this.oldest) return false;
    if (!this.connection) return false;
    const missed: Outbound[] = [];
    for (let s = after + 1; s <= this.seq; s++) {
      const slot = s % REPLAY_LIMIT;
      // Everything from `oldest` to `seq` was kept (keep maintains it), so the ring is there.
      const json = this.log.json(this.ring!.pos[slot]!, this.ring!.bytes[slot]!, this.ring!.headBytes[slot]!, s);
      if (json === null) return false;
      missed.push(Outbound.restore(json));
    }
    missed.forEach((out, i) => this.connection!.deliver(out, after + 1 + i));
    return true;
  }
}

function newToken(): string {
  return randomBytes(24).toString('base64url');
}
