// Sequence numbers as a WebSocket client sees them.
//
// PROTOCOL.md: per connection, from 1, +1 per frame. The core numbers a session's envelopes from 1
// (PlayerSession, restarted on a takeover), but a WebSocket connection may already have sent frames
// before it logged in (an `error` for a bad frame, a `pong`, an `auth_error`), and those have no
// session. So a connection writes `session sequence + offset`, where the offset is the number of
// frames it wrote before the session was bound: the client sees 1, 2, ... unbroken across login.
//
// A `resume` continues the numbering the client already holds (the issue asks for "the sequence
// continuing unbroken"), so the new connection takes over the session's offset, and the client's
// `last_sequence` is translated back to the session's numbering by subtracting it. This registry
// remembers each WebSocket session's offset by token until the session leaves the game or another
// connection (telnet, which writes session numbers as they are) takes the body over.
//
// Consequence, documented for clients: send `resume` as the first frame of a new connection. Frames
// written before it (a pong, an error) are numbered 1, 2, ... as on any new connection, and the
// replay then continues at last_sequence + 1.
import type { PlayerSession } from '../core/session.js';

interface Binding {
  playerId: string;
  offset: number;
  /** The connection that set it: only that one may release it. */
  owner: object;
}

export class WireOffsets {
  private readonly byToken = new Map<string, Binding>();
  private readonly tokenOf = new Map<string, string>();

  /** `owner` now carries `session`, writing session sequence + `offset`. */
  bind(session: PlayerSession, offset: number, owner: object): void {
    const old = this.tokenOf.get(session.playerId);
    if (old !== undefined && old !== session.token) this.byToken.delete(old);
    this.byToken.set(session.token, { playerId: session.playerId, offset, owner });
    this.tokenOf.set(session.playerId, session.token);
  }

  /** The offset a resuming connection continues with: 0 for a session no WebSocket numbered. */
  offsetOf(token: string): number {
    return this.byToken.get(token)?.offset ?? 0;
  }

  /**
   * The core closed `owner` (quit, kick, takeover, resumed elsewhere): its numbering is no longer
   * the session's. A resume elsewhere re-binds right after, with the same offset.
   */
  release(session: PlayerSession, owner: object): void {
    const b = this.byToken.get(session.token);
    if (b?.owner !== owner) return;
    this.byToken.delete(session.token);
    if (this.tokenOf.get(session.playerId) === session.token) this.tokenOf.delete(session.playerId);
  }

  /** The player left the game (quit, kicked, link-dead too long): its token is dead. */
  forget(playerId: string): void {
    const token = this.tokenOf.get(playerId);
    if (token === undefined) return;
    this.tokenOf.delete(playerId);
    this.byToken.delete(token);
  }

  get size(): number {
    return this.byToken.size;
  }
}
