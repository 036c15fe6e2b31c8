// What a front door gives the core for one live connection. The core never sees a socket.
import type { Door } from '../../shared/protocol.js';
import type { Outbound } from './outbound.js';

export interface Connection {
  readonly door: Door;
  readonly remoteAddress: string;
  /** Send one event, stamped with this session's next sequence number. Must not throw. */
  deliver(out: Outbound, seq: number): void;
  /** Close after sending `notice` (if any) as a last line. Idempotent. */
  close(notice?: string): void;
}
