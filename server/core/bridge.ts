// The real-time bridge: subscribes to the bus and turns each game event into one envelope per
// recipient (room occupants, a tell's target, everyone), stamped by that player's session with
// its next sequence number. Both doors receive the very same envelopes.
import type { Occupant, RoomView } from '../../shared/protocol.js';
import type { EventBus } from './bus.js';
import type { GameEvents, LeaveReason } from './events.js';
import { Outbound } from './outbound.js';
import type { Presence } from './presence.js';
import type { PlayerSession } from './session.js';
import { arrivalText, departureText, roomText } from './text.js';

export interface BridgeDeps {
  bus: EventBus;
  presence: Presence;
  session(playerId: string): PlayerSession | undefined;
  roomView(roomId: string): RoomView;
  /** Minimum milliseconds between two room_occupants lists for one room (see OccupantsThrottle). */
  occupantsIntervalMs?: number;
}

const LEFT_GAME: Record<LeaveReason, (name: string) => string> = {
  quit: (n) => `${n} has left the game.`,
  linkdead: (n) => `${n}'s link has been lost too long; they fade from Arkham.`,
  kicked: (n) => `${n} has been removed from the game.`,
  banned: (n) => `${n} has been banished from Arkham.`,
  shutdown: (n) => `${n} has left the game.`,
};

const STATUS_TEXT: Record<string, (name: string) => string> = {
  linkdead: (n) => `${n} has lost their link.`,
  online: (n) => `${n} is back.`,
  away: (n) => `${n} is away.`,
  busy: (n) => `${n} is busy.`,
};

export function startBridge(deps: BridgeDeps): () => void {
  const { bus, presence } = deps;
  const occupants = new OccupantsThrottle(deps, deps.occupantsIntervalMs ?? 250);

  const toRoom = (roomId: string, out: Outbound, except: string | null): void => {
    for (const id of presence.idsIn(roomId)) if (id !== except) deps.session(id)?.send(out);
  };
  const toAll = (out: Outbound, except: string | null): void => {
    for (const p of presence.all()) if (p.id !== except) deps.session(p.id)?.send(out);
  };

  const unsubscribe = [
    bus.subscribe('PlayerEnteredGame', (e) => {
      const out = new Outbound('player_entered_game', e.roomId, e.playerId, {
        player_id: e.playerId,
        player_name: e.name,
        message: `${e.name} has entered the game.`,
      });
      toRoom(e.roomId, out, e.playerId);
      occupants.changed(e.roomId);
    }),
    bus.subscribe('PlayerLeftGame', (e) => {
      const out = new Outbound('player_left_game', e.roomId, e.playerId, {
        player_id: e.playerId,
        player_name: e.name,
        message: LEFT_GAME[e.reason](e.name),
      });
      toRoom(e.roomId, out, e.playerId);
      occupants.changed(e.roomId);
    }),
    bus.subscribe('PlayerLeftRoom', (e) => {
      const out = new Outbound('player_left', e.roomId, e.playerId, {
        player_id: e.playerId,
        player_name: e.name,
        to: e.to,
        message: departureText(e.name, e.to),
      });
      toRoom(e.roomId, out, e.playerId);
      occupants.changed(e.roomId);
    }),
    bus.subscribe('PlayerEnteredRoom', (e) => {
      const out = new Outbound('player_entered', e.roomId, e.playerId, {
        player_id: e.playerId,
        player_name: e.name,
        from: e.from,
        message: arrivalText(e.name, e.from),
      });
      toRoom(e.roomId, out, e.playerId);
      occupants.changed(e.roomId);
      const mover = deps.session(e.playerId);
      if (mover) {
        const room = deps.roomView(e.roomId);
        const all = presence.occupants(e.roomId);
        mover.send(
          new Outbound('room_update', e.roomId, e.playerId, {
            room,
            occupants: all,
            message: roomText(room, others(all, e.playerId)),
          }),
        );
      }
    }),
    bus.subscribe('PlayerStatusChanged', (e) => {
      const out = new Outbound('presence', e.roomId, e.playerId, {
        player_id: e.playerId,
        player_name: e.name,
        status: e.status,
        message: (STATUS_TEXT[e.status] ?? STATUS_TEXT.online!)(e.name),
      });
      toRoom(e.roomId, out, e.playerId);
      occupants.changed(e.roomId);
    }),
    bus.subscribe('PlayerSpoke', (e) => {
      const from = e.playerId && e.name ? { id: e.playerId, name: e.name } : null;
      const heard = (message: string) =>
        new Outbound('message', e.roomId, e.playerId, { channel: e.channel, from, text: e.text, message });
      switch (e.channel) {
        case 'say':
          toRoom(e.roomId!, heard(`${e.name} says, "${e.text}"`), e.playerId);
          if (e.playerId) deps.session(e.playerId)?.send(heard(`You say, "${e.text}"`));
          return;
        case 'emote':
          toRoom(e.roomId!, heard(`${e.name} ${e.text}`), null);
          return;
        case 'tell':
          if (e.to) deps.session(e.to)?.send(heard(`${e.name} tells you, "${e.text}"`));
          if (e.playerId && e.to) {
            const target = presence.get(e.to)?.name ?? 'them';
            deps.session(e.playerId)?.send(heard(`You tell ${target}, "${e.text}"`));
          }
          return;
        case 'chat':
          toAll(heard(`[chat] ${e.name}: ${e.text}`), null);
          return;
        case 'broadcast':
          toAll(heard(`*** ${e.text} ***`), null);
          return;
        case 'system':
          if (e.to) deps.session(e.to)?.send(heard(e.text));
          else toAll(heard(e.text), null);
          return;
      }
    }),
    bus.subscribe('PlayerNotified', (n) => {
      deps.session(n.playerId)?.send(new Outbound(n.eventType, n.roomId, n.playerId, n.data));
    }),
  ];
  return () => {
    for (const u of unsubscribe) u();
    occupants.stop();
  };
}

export function others(all: Occupant[], self: string): Occupant[] {
  return all.filter((o) => o.id !== self);
}

/**
 * room_occupants carries the whole list, so in a crowded room every arrival would cost
 * (occupants x recipients). The first change in a quiet room is sent at once. While changes keep
 * coming, they are folded into one list, sent with the first change once the last list is
 * `intervalMs` x max(1, occupants / OCCUPANTS_PER_INTERVAL) old: during a stream of arrivals each
 * client's share of list bytes stays bounded however big the room. Sent with a change, the list
 * leaves in the same socket write as that change's player_entered or player_left (the doors write
 * a turn's output at once), not in a write of its own from a timer. Once the changes stop, a
 * timer sends the true list `intervalMs` after the last one.
 */
const OCCUPANTS_PER_INTERVAL = 50;

interface RoomLists {
  /** performance.now() of the last list sent. */
  lastSent: number;
  /** performance.now() of the last change not yet in a list; null: the last list is true. */
  unsentSince: number | null;
  /** The quiet timer, armed while a change is unsent. */
  timer: NodeJS.Timeout | null;
}

class OccupantsThrottle {
  private readonly rooms = new Map<string, RoomLists>();

  constructor(
    private readonly deps: BridgeDeps,
    private readonly intervalMs: number,
  ) {}

  changed(roomId: string): void {
    const now = performance.now();
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = { lastSent: -Infinity, unsentSince: null, timer: null }));
    const crowd = room.unsentSince === null ? 1 : Math.max(1, this.deps.presence.idsIn(roomId).size / OCCUPANTS_PER_INTERVAL);
    if (now - room.lastSent >= this.intervalMs * crowd) {
      this.send(roomId, room, now);
      return;
    }
    room.unsentSince = now;
    // One timer per stream of changes, moved on when it fires early, rather than one per change.
    room.timer ??= setTimeout(() => this.quiet(roomId, room), this.intervalMs);
  }

  /** The quiet timer: sends the true list once no change has come for intervalMs. */
  private quiet(roomId: string, room: RoomLists): void {
    room.timer = null;
    if (room.unsentSince === null) return;
    const wait = room.unsentSince + this.intervalMs - performance.now();
    if (wait > 0) room.timer = setTimeout(() => this.quiet(roomId, room), wait);
    else this.send(roomId, room, performance.now());
  }

  private send(roomId: string, room: RoomLists, now: number): void {
    if (room.timer) clearTimeout(room.timer);
    room.timer = null;
    room.unsentSince = null;
    const ids = this.deps.presence.idsIn(roomId);
    if (ids.size === 0) {
      this.rooms.delete(roomId);
      return;
    }
    room.lastSent = now;
    const list = this.deps.presence.occupants(roomId);
    const out = new Outbound('room_occupants', roomId, null, { room_id: roomId, occupants: list, count: list.length });
    for (const id of ids) this.deps.session(id)?.send(out);
    // Forget quiet rooms so the map does not grow with every room ever visited.
    if (this.rooms.size > 4096) for (const [id, r] of this.rooms) if (!r.timer) this.rooms.delete(id);
  }

  stop(): void {
    for (const room of this.rooms.values()) if (room.timer) clearTimeout(room.timer);
    this.rooms.clear();
  }
}
