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
 * (occupants x recipients). The first change in a quiet room is sent at once; later changes are
 * folded into one list, sent once the room has been quiet for `intervalMs`, and at the latest
 * `intervalMs` x (occupants / OCCUPANTS_PER_INTERVAL) after the last list: during a stream of
 * arrivals each client's share of list bytes stays bounded however big the room, and once the
 * stream stops the true list follows within `intervalMs`. player_entered and player_left still
 * say at once who came and went.
 */
const OCCUPANTS_PER_INTERVAL = 50;

class OccupantsThrottle {
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: BridgeDeps,
    private readonly intervalMs: number,
  ) {}

  changed(roomId: string): void {
    const now = performance.now();
    const last = this.lastSent.get(roomId) ?? -Infinity;
    if (!this.pending.has(roomId) && now - last >= this.intervalMs) {
      this.send(roomId, now);
      return;
    }
    const crowd = Math.max(1, this.deps.presence.idsIn(roomId).size / OCCUPANTS_PER_INTERVAL);
    const latest = last + this.intervalMs * crowd;
    const wait = Math.max(0, Math.min(latest, now + this.intervalMs) - now);
    const timer = this.pending.get(roomId);
    if (timer) clearTimeout(timer);
    this.pending.set(
      roomId,
      setTimeout(() => {
        this.pending.delete(roomId);
        this.send(roomId, performance.now());
      }, wait),
    );
  }

  private send(roomId: string, now: number): void {
    const ids = this.deps.presence.idsIn(roomId);
    if (ids.size === 0) {
      this.lastSent.delete(roomId);
      return;
    }
    this.lastSent.set(roomId, now);
    const list = this.deps.presence.occupants(roomId);
    const out = new Outbound('room_occupants', roomId, null, { room_id: roomId, occupants: list, count: list.length });
    for (const id of ids) this.deps.session(id)?.send(out);
    // Forget quiet rooms so the map does not grow with every room ever visited.
    if (this.lastSent.size > 4096) this.lastSent.clear();
  }

  stop(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    this.lastSent.clear();
  }
}
