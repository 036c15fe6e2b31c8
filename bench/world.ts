// The load generator's map of the world: the same world file the server loads, read through the
// server's own loader, so travelling players only ever try exits that exist.
import { OPPOSITE } from '../server/core/text.js';
import { BUNDLED_WORLD, exitList, loadWorld, type World } from '../server/world/load.js';
import type { Direction } from '../server/world/schema.js';

export { OPPOSITE, type Direction };

export class WorldMap {
  readonly world: World;
  readonly startId: string;
  /** Rooms the walkers may use: the whole world, or the `limit` rooms nearest the start. */
  readonly rooms: readonly string[];
  private readonly allowed: ReadonlySet<string>;

  constructor(file: string = BUNDLED_WORLD, limit = 0) {
    this.world = loadWorld(file);
    this.startId = this.world.start.id;
    const order = this.bfsOrder();
    this.rooms = limit > 0 ? order.slice(0, limit) : order;
    this.allowed = new Set(this.rooms);
  }

  /** Exits of a room that lead to an allowed room. */
  exits(roomId: string): Array<[Direction, string]> {
    const room = this.world.rooms.get(roomId);
    if (!room) return [];
    return exitList(room).filter(([, to]) => this.allowed.has(to));
  }

  /** Shortest list of directions from one room to another (within the allowed rooms). */
  path(from: string, to: string): Direction[] {
    if (from === to) return [];
    const prev = new Map<string, [string, Direction]>([[from, [from, 'north']]]);
    const queue = [from];
    for (let i = 0; i < queue.length; i++) {
      const here = queue[i]!;
      for (const [dir, next] of this.exits(here)) {
        if (prev.has(next)) continue;
        prev.set(next, [here, dir]);
        if (next === to) return unwind(prev, from, to);
        queue.push(next);
      }
    }
    throw new Error(`no path from ${from} to ${to}`);
  }

  /** An exit of the start room whose room leads straight back: for a step out and in again. */
  roundTrip(): { out: Direction; back: Direction; room: string } {
    for (const [dir, to] of this.exits(this.startId)) {
      const back = OPPOSITE[dir];
      if (this.world.rooms.get(to)?.exits[back] === this.startId) return { out: dir, back, room: to };
    }
    throw new Error(`the start room ${this.startId} has no exit with a way straight back`);
  }

  private bfsOrder(): string[] {
    const seen = new Set([this.startId]);
    const order = [this.startId];
    for (let i = 0; i < order.length; i++) {
      const room = this.world.rooms.get(order[i]!)!;
      for (const [, to] of exitList(room)) {
        if (seen.has(to)) continue;
        seen.add(to);
        order.push(to);
      }
    }
    return order;
  }
}

function unwind(prev: Map<string, [string, Direction]>, from: string, to: string): Direction[] {
  const dirs: Direction[] = [];
  for (let at = to; at !== from; ) {
    const [back, dir] = prev.get(at)!;
    dirs.push(dir);
    at = back;
  }
  return dirs.reverse();
}
