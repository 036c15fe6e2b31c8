// The plain-text sentences of the game, in one place: both doors carry them in `data.message`.
import type { Occupant, RoomView } from '../../shared/protocol.js';
import { exitList } from '../world/load.js';
import type { Room } from '../world/schema.js';
import type { Direction } from '../world/schema.js';

export const OPPOSITE: Record<Direction, Direction> = {
  north: 'south', south: 'north', east: 'west', west: 'east',
  northeast: 'southwest', southwest: 'northeast', northwest: 'southeast', southeast: 'northwest',
  up: 'down', down: 'up',
};

/** How many names the `Also here:` line spells out before it counts the rest. */
export const ALSO_HERE_NAMES = 20;

export function roomView(room: Room, zoneName: string): RoomView {
  const exits: Record<string, string> = {};
  for (const [dir, target] of exitList(room)) exits[dir] = target;
  return { id: room.id, num: room.num, name: room.name, description: room.description, zone: zoneName, exits };
}

export function exitsLine(room: RoomView): string {
  const dirs = Object.keys(room.exits);
  return `Exits: ${dirs.length ? dirs.join(', ') : 'none'}.`;
}

export function alsoHereLine(others: Occupant[]): string | null {
  if (others.length === 0) return null;
  const shown = others.slice(0, ALSO_HERE_NAMES).map(occupantLabel);
  const rest = others.length - shown.length;
  return `Also here: ${shown.join(', ')}${rest > 0 ? ` and ${rest} others` : ''}.`;
}

export function occupantLabel(o: Occupant): string {
  return o.status === 'online' ? o.name : `${o.name} (${o.status === 'linkdead' ? 'link-dead' : o.status})`;
}

/** The room as a telnet player reads it: name, description, exits, who else is here. */
export function roomText(room: RoomView, others: Occupant[]): string {
  const lines = [room.name, room.description, exitsLine(room)];
  const also = alsoHereLine(others);
  if (also) lines.push(also);
  return lines.join('\n');
}

export function arrivalText(name: string, from: string | null): string {
  if (from === null) return `${name} appears.`;
  if (from === 'up') return `${name} arrives from above.`;
  if (from === 'down') return `${name} arrives from below.`;
  return `${name} arrives from the ${from}.`;
}

export function departureText(name: string, to: string | null): string {
  if (to === null) return `${name} vanishes.`;
  if (to === 'up') return `${name} leaves upward.`;
  if (to === 'down') return `${name} leaves downward.`;
  return `${name} leaves ${to}.`;
}
