// What the world hands on for the doors: an event (an envelope without its sequence number, which
// each recipient's session stamps) and the players it is for, decided by the world. Plain data,
// checked by one schema: the seam where the doors will leave this process (issue 17's gateways)
// can carry it as it is, so nothing in it may be an object reference or a closure.
import { z } from 'zod';
import { EVENT_TYPES, type EventDataOf, type EventType } from '../../shared/protocol.js';

export const WireEvent = z.object({
  event_type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
  timestamp: z.string(),
  room_id: z.string().nullable(),
  player_id: z.string().nullable(),
  // Each type's data has its schema in shared/protocol.ts (EventData); the envelope is checked
  // whole where a client reads it. Here it is only required to be a JSON object.
  data: z.record(z.string(), z.unknown()),
});
export type WireEvent = z.infer<typeof WireEvent>;

export const Delivery = z.object({
  /** Player ids, in the order they are sent to. */
  to: z.array(z.string()),
  event: WireEvent,
});
export type Delivery = z.infer<typeof Delivery>;

/** An event of one type with its data, typed by the protocol's schemas, stamped now. */
export function wireEvent<T extends EventType>(type: T, roomId: string | null, playerId: string | null, data: EventDataOf<T>): WireEvent {
  return { event_type: type, timestamp: new Date().toISOString(), room_id: roomId, player_id: playerId, data: data as Record<string, unknown> };
}
