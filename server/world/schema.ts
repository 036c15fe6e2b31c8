// The world file format. A world file is parsed by this schema at start; a broken file fails with
// a message that names the file, the room and the problem (see load.ts).
import { z } from 'zod';

export const DIRECTIONS = [
  'north', 'south', 'east', 'west', 'northeast', 'northwest', 'southeast', 'southwest', 'up', 'down',
] as const;
export const Direction = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof Direction>;

export const ROOM_ID_PATTERN = /^[a-z][a-z0-9_]*$/;

export const RoomSchema = z.object({
  id: z.string().regex(ROOM_ID_PATTERN, 'a room id is lower-case letters, digits and _'),
  /** Stable unique number: Mudlet's mapper keys rooms on GMCP Room.Info.num. */
  num: z.number().int().positive(),
  area: z.string().min(1),
  name: z.string().min(1).max(80),
  description: z.string().min(1),
  exits: z.partialRecord(Direction, z.string()),
});
export type Room = z.infer<typeof RoomSchema>;

export const AreaSchema = z.object({ id: z.string().min(1), name: z.string().min(1) });
export type Area = z.infer<typeof AreaSchema>;

export const WorldSchema = z.object({
  name: z.string().min(1),
  start: z.string(),
  areas: z.array(AreaSchema).min(1),
  rooms: z.array(RoomSchema).min(1),
});
export type WorldFile = z.infer<typeof WorldSchema>;
