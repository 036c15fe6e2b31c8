// The real-time bridge: subscribes to the bus and turns each game event into a delivery: one
// event and the players it is for (room occupants, a tell's target, everyone), as plain data
// (delivery.ts). Whoever takes the delivery stamps each recipient's sequence number; both doors
// receive the very same envelopes.
import type { Occupant, RoomView } from '../../shared/protocol.js';
import type { EventBus } from './bus.js';
import type { GameEvents, LeaveReason } from './events.js';
import { wireEvent as ev, type Delivery, type WireEvent } from './delivery.js';
import type { Presence } from './presence.js';
import { arrivalText, departureText, roomText } from './text.js';

export interface BridgeDeps {
  bus: EventBus;
  presence: Presence;
  /** Takes each delivery: the bridge holds no session and sends to no connection itself. */
  deliver(delivery: Delivery): void;
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

  const toRoom = (roomId: string, event: WireEvent, except: string | null): void => {
    const to: string[] = [];
    for (const id of presence.idsIn(roomId)) if (id !== except) to.push(id);
    if (to.length) deps.deliver({ to, event });
  };
  const toAll = (event: WireEvent): void => {
    const to: string[] = [];
    for (const p of presence.all()) to.push(p.id);
    if (to.length) deps.deliver({ to, event });
  };
  const toOne = (playerId: string, event: WireEvent): void => deps.deliver({ to: [playerId], event });

  const unsubscribe = [
    bus.subscribe('PlayerEnteredGame', (e) => {
      const out = ev('player_entered_game', e.roomId, e.playerId, {
        player_id: e.playerId,
        player_name: e.name,
        message: `${e.name} has entered the game.`,
      });
      toRoom(e.roomId, out, e.playerId);
      occupants.changed(e.roomId);
    }),
    bus.subscribe('PlayerLeftGame', (e) => {
      const out = ev('player_left_game', e.roomId, e.playerId, {
        player_id: e.playerId,
        player_name: e.name,
        message: LEFT_GAME[e.reason](e.name),
      });
      toRoom(e.roomId, out, e.playerId);
      occupants.changed(e.roomId);
    }),
    bus.subscribe('PlayerLeftRoom', (e) => {
      const out = ev('player_left', e.roomId, e.playerId, {
        player_id: e.playerId,
        player_name: e.name,
        to: e.to,
        message: departureText(e.name, e.to),
      });
      toRoom(e.roomId, out, e.playerId);
      occupants.changed(e.roomId);
    }),
    bus.subscribe('PlayerEnteredRoom', (e) => {
      const out = ev('player_entered', e.roomId, e.playerId, {
        player_id: e.playerId,
        player_name: e.name,
        from: e.from,
        message: arrivalText(e.name, e.from),
      });
      toRoom(e.roomId, out, e.playerId);
      occupants.changed(e.roomId);
      const room = deps.roomView(e.roomId);
      const all = presence.occupants(e.roomId);
      toOne(
        e.playerId,
        ev('room_update', e.roomId, e.playerId, {
          room,
          occupants: all,
          message: roomText(room, others(all, e.playerId)),
        }),
      );
    }),
    bus.subscribe('PlayerStatusChanged', (e) => {
      const out = ev('presence', e.roomId, e.playerId, {
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
        ev('message', e.roomId, e.playerId, { channel: e.channel, from, text: e.text, message });
      switch (e.channel) {
        case 'say':
          toRoom(e.roomId!, heard(`${e.name} says, "${e.text}"`), e.playerId);
          if (e.playerId) toOne(e.playerId, heard(`You say, "${e.text}"`));
          return;
        case 'emote':
          toRoom(e.roomId!, heard(`${e.name} ${e.text}`), null);
          return;
        case 'tell':
          if (e.to) toOne(e.to, heard(`${e.name} tells you, "${e.text}"`));
          if (e.playerId && e.to) {
            const target = presence.get(e.to)?.name ?? 'them';
            toOne(e.playerId, heard(`You tell ${target}, "${e.text}"`));
          }
          return;
        case 'chat':
          toAll(heard(`[chat] ${e.name}: ${e.text}`));
          return;
        case 'broadcast':
          toAll(heard(`*** ${e.text} ***`));
          return;
        case 'system':
          if (e.to) toOne(e.to, heard(e.text));
          else toAll(heard(e.text));
          return;
      }
    }),
    bus.subscribe('PlayerNotified', (n) => {
      toOne(n.playerId, ev(n.eventType, n.roomId, n.playerId, n.data));
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
    this.deps.deliver({ to: [...ids], event: ev('room_occupants', roomId, null, { room_id: roomId, occupants: list, count: list.length }) });
    // Forget quiet rooms so the map does not grow with every room ever visited.
    if (this.rooms.size > 4096) for (const [id, r] of this.rooms) if (!r.timer) this.rooms.delete(id);
  }

  stop(): void {
    for (const room of this.rooms.values()) if (room.timer) clearTimeout(room.timer);
    this.rooms.clear();
  }
}
