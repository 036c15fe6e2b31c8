// Loads and checks a world file. Every problem is reported with the file, the room and what is
// wrong, and the server does not start on a broken world.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DIRECTIONS, WorldSchema, type Area, type Direction, type Room, type WorldFile } from './schema.js';

export const BUNDLED_WORLD = fileURLToPath(new URL('./arkham.json', import.meta.url));

export class WorldError extends Error {}

export interface World {
  readonly name: string;
  readonly start: Room;
  readonly rooms: ReadonlyMap<string, Room>;
  readonly areas: ReadonlyMap<string, Area>;
}

export function loadWorld(file: string = BUNDLED_WORLD): World {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new WorldError(`world file ${file}: cannot read it (${(err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new WorldError(`world file ${file}: not valid JSON (${(err as Error).message})`);
  }
  return buildWorld(raw, file);
}

/** Validates parsed world data; `source` names it in errors. */
export function buildWorld(raw: unknown, source: string): World {
  const parsed = WorldSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const where = describePath(raw, issue.path);
      return `${where}: ${issue.message}`;
    });
    throw new WorldError(`world file ${source}: ${problems.join('; ')}`);
  }
  return checkLinks(parsed.data, source);
}

function describePath(raw: unknown, path: ReadonlyArray<PropertyKey>): string {
  if (path[0] === 'rooms' && typeof path[1] === 'number') {
    const rooms = (raw as { rooms?: unknown[] }).rooms;
    const room = rooms?.[path[1]] as { id?: unknown } | undefined;
    const id = typeof room?.id === 'string' ? room.id : `#${path[1]}`;
    const rest = path.slice(2).map(String).join('.');
    return `room ${id}${rest ? ` (${rest})` : ''}`;
  }
  return path.length ? path.map(String).join('.') : 'top level';
}

function checkLinks(file: WorldFile, source: string): World {
  const problems: string[] = [];
  const rooms = new Map<string, Room>();
  const nums = new Map<number, string>();
  const areas = new Map(file.areas.map((a) => [a.id, a]));
  for (const room of file.rooms) {
    if (rooms.has(room.id)) problems.push(`room ${room.id}: the id is used twice`);
    const other = nums.get(room.num);
    if (other !== undefined) problems.push(`room ${room.id}: num ${room.num} is also room ${other}'s`);
    if (!areas.has(room.area)) problems.push(`room ${room.id}: area "${room.area}" is not in areas`);
    rooms.set(room.id, room);
    nums.set(room.num, room.id);
  }
  for (const room of file.rooms) {
    for (const [dir, target] of Object.entries(room.exits)) {
      if (!rooms.has(target)) problems.push(`room ${room.id}: exit ${dir} leads to ${target}, which does not exist`);
    }
  }
  const start = rooms.get(file.start);
  if (!start) problems.push(`start room ${file.start} does not exist`);
  if (problems.length || !start) throw new WorldError(`world file ${source}: ${problems.join('; ')}`);
  return { name: file.name, start, rooms, areas };
}

/** The exits of a room in the order players expect to read them. */
export function exitList(room: Room): Array<[Direction, string]> {
  const out: Array<[Direction, string]> = [];
  for (const dir of DIRECTIONS) {
    const target = room.exits[dir];
    if (target !== undefined) out.push([dir, target]);
  }
  return out;
}
