// What a front door gives the core for one live connection. The core never sees a socket.
import type { Door, PlayerSettings } from '../../shared/protocol.js';
import type { LeaveReason } from './events.js';
import type { Outbound } from './outbound.js';

/** Why a connection is closed: a door may tell its client (a WebSocket close code and reason). */
export type CloseReason = LeaveReason | 'takeover' | 'timeout' | 'error' | 'flood';

export interface Connection {
  readonly door: Door;
  readonly remoteAddress: string;
  /**
   * Frames this connection numbered itself before a session was bound to it (a WebSocket client's
   * errors and pongs before login): the session's numbering continues after them.
   */
  readonly framesBeforeLogin: number;
  /**
   * Whether this door's client can `resume` and be replayed what it missed (WebSocket). A session
   * keeps a replay buffer only for such clients: telnet has no resume, so it holds none.
   */
  readonly replays: boolean;
  /** Send one event, stamped with this session's next sequence number. Must not throw. */
  deliver(out: Outbound, seq: number): void;
  /**
   * The player's screen settings, given when a session binds to this connection and whenever
   * the player changes one. A door that draws text (telnet) follows them; others may ignore them.
   */
  configure?(settings: PlayerSettings): void;
  /** Close after sending `notice` (if any) as a last line. Idempotent. */
  close(notice?: string, reason?: CloseReason): void;
}
