// The typed events of the game, as the core publishes them on the bus. They are plain data (ids,
// names, strings) so that a bus over a broker could carry them between processes unchanged.
import type { Channel, EventDataOf, EventType, Status } from '../../shared/protocol.js';

export interface GameEvents {
  PlayerEnteredGame: { playerId: string; name: string; roomId: string };
  /** reason: 'quit' | 'linkdead' (the grace period ran out) | 'kicked' | 'shutdown' */
  PlayerLeftGame: { playerId: string; name: string; roomId: string; reason: LeaveReason };
  PlayerEnteredRoom: { playerId: string; name: string; roomId: string; from: string | null };
  PlayerLeftRoom: { playerId: string; name: string; roomId: string; to: string | null };
  PlayerStatusChanged: { playerId: string; name: string; roomId: string; status: Status };
  /** Speech and emotes heard by a room; tells and chat are addressed in `to` / to everyone. */
  PlayerSpoke: {
    channel: Channel;
    playerId: string | null;
    name: string | null;
    roomId: string | null;
    to: string | null;
    text: string;
  };
  /** Something for one player only: the output of their command, their own room view, an error. */
  PlayerNotified: Notification;
}

export type LeaveReason = 'quit' | 'linkdead' | 'kicked' | 'shutdown' | 'banned';

/** An envelope's type and data addressed to one player. */
export type Notification = {
  [T in EventType]: { playerId: string; roomId: string | null; eventType: T; data: EventDataOf<T> };
}[EventType];

export type GameEventName = keyof GameEvents;
