// Who is in the game and where. The single source of truth for positions: a room's occupants are
// derived from the same map writes as a player's position, inside one synchronous call, so no
// other command can see a player in two rooms or in none.
import type { Door, Occupant, Role, Status } from '../../shared/protocol.js';

export interface PresentPlayer {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly roomId: string;
  readonly status: Status;
  readonly door: Door | null;
  readonly remoteAddress: string | null;
  /** Date.now() of the last command: for idle times. */
  readonly lastActive: number;
  readonly loggedInAt: number;
}

/** What may change about a present player other than the room (that is `move`, which is atomic). */
export type PresenceChange = Partial<Pick<PresentPlayer, 'role' | 'status' | 'door' | 'remoteAddress' | 'lastActive'>>;

/**
 * Who is where: the game's one view of it. Everything goes through these methods; nothing outside
 * an implementation writes a player's fields, so a presence kept elsewhere (over a broker, issue
 * 18) can take this one's place.
 */
export interface Presence {
  add(player: PresentPlayer): void;
  remove(id: string): PresentPlayer | undefined;
  move(id: string, toRoom: string): string;
  /** Changes the fields given; returns the player as they now are, or undefined if absent. */
  update(id: string, change: PresenceChange): PresentPlayer | undefined;
  get(id: string): PresentPlayer | undefined;
  findByName(name: string): PresentPlayer | undefined;
  idsIn(roomId: string): ReadonlySet<string>;
  occupants(roomId: string): Occupant[];
  all(): IterableIterator<PresentPlayer>;
  readonly size: number;
  /** Self-check (tests, and a sysop's doubt): every position agrees with every room's set. */
  inconsistencies(): string[];
}

/** A player's record as LocalPresence holds it: writable here, and only here. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Presence in this process's memory: the one a single world uses. */
export class LocalPresence implements Presence {
  private readonly players = new Map<string, Mutable<PresentPlayer>>();
  private readonly rooms = new Map<string, Set<string>>();

  add(player: PresentPlayer): void {
    if (this.players.has(player.id)) throw new Error(`player ${player.id} is already present`);
    // A copy: the caller's object is not ours to change later.
    this.players.set(player.id, { ...player });
    this.roomSet(player.roomId).add(player.id);
  }

  remove(id: string): PresentPlayer | undefined {
    const player = this.players.get(id);
    if (!player) return undefined;
    this.players.delete(id);
    this.leaveRoomSet(player.roomId, id);
    return player;
  }

  move(id: string, toRoom: string): string {
    const player = this.players.get(id);
    if (!player) throw new Error(`player ${id} is not present`);
    const from = player.roomId;
    if (from === toRoom) return from;
    this.leaveRoomSet(from, id);
    this.roomSet(toRoom).add(id);
    player.roomId = toRoom;
    return from;
  }

  update(id: string, change: PresenceChange): PresentPlayer | undefined {
    const player = this.players.get(id);
    if (player) Object.assign(player, change);
    return player;
  }

  get(id: string): PresentPlayer | undefined {
    return this.players.get(id);
  }

  findByName(name: string): PresentPlayer | undefined {
    const lower = name.toLowerCase();
    for (const p of this.players.values()) if (p.name.toLowerCase() === lower) return p;
    return undefined;
  }

  idsIn(roomId: string): ReadonlySet<string> {
    return this.rooms.get(roomId) ?? EMPTY;
  }

  occupants(roomId: string): Occupant[] {
    const out: Occupant[] = [];
    for (const id of this.idsIn(roomId)) {
      const p = this.players.get(id)!;
      out.push({ id: p.id, name: p.name, status: p.status });
    }
    return out;
  }

  all(): IterableIterator<PresentPlayer> {
    return this.players.values();
  }

  get size(): number {
    return this.players.size;
  }

  inconsistencies(): string[] {
    const problems: string[] = [];
    let counted = 0;
    for (const [roomId, ids] of this.rooms) {
      if (ids.size === 0) problems.push(`room ${roomId} has an empty set`);
      for (const id of ids) {
        counted++;
        const p = this.players.get(id);
        if (!p) problems.push(`room ${roomId} lists ${id}, who is not present`);
        else if (p.roomId !== roomId) problems.push(`room ${roomId} lists ${id}, who is in ${p.roomId}`);
      }
    }
    if (counted !== this.players.size) problems.push(`${counted} room places for ${this.players.size} players`);
    return problems;
  }

  private roomSet(roomId: string): Set<string> {
    let set = this.rooms.get(roomId);
    if (!set) this.rooms.set(roomId, (set = new Set()));
    return set;
  }

  private leaveRoomSet(roomId: string, id: string): void {
    const set = this.rooms.get(roomId);
    if (!set) return;
    set.delete(id);
    if (set.size === 0) this.rooms.delete(roomId);
  }
}

const EMPTY: ReadonlySet<string> = new Set();
