// The wire contract of PROTOCOL.md section 4, as zod schemas. The server builds envelopes with
// these types, the WebSocket door validates client frames with them, and the TUI parses server
// frames with them. Every TypeScript type here is inferred: there is no hand-written twin.
import { z } from 'zod';

export const NAME_PATTERN = /^[A-Za-z]{2,20}$/;
export const PlayerName = z.string().regex(NAME_PATTERN, 'a name is 2-20 letters (A-Z)');
export const Password = z.string().min(6, 'a password has at least 6 characters').max(200);

export const Role = z.enum(['player', 'admin']);
export type Role = z.infer<typeof Role>;

export const Status = z.enum(['online', 'away', 'busy', 'linkdead']);
export type Status = z.infer<typeof Status>;

export const Door = z.enum(['telnet', 'ws']);
export type Door = z.infer<typeof Door>;

export const Channel = z.enum(['say', 'emote', 'tell', 'chat', 'system', 'broadcast']);
export type Channel = z.infer<typeof Channel>;

export const PlayerRef = z.object({ id: z.string(), name: z.string() });
export const PlayerInfo = z.object({ id: z.string(), name: z.string(), role: Role });
export const Occupant = z.object({ id: z.string(), name: z.string(), status: Status });
export type Occupant = z.infer<typeof Occupant>;

export const RoomView = z.object({
  id: z.string(),
  num: z.number().int().optional(),
  name: z.string(),
  description: z.string(),
  zone: z.string(),
  exits: z.record(z.string(), z.string()),
});
export type RoomView = z.infer<typeof RoomView>;

// `message` is what a telnet player sees as a line; every event that a telnet player sees carries it.
const withMessage = { message: z.string() };

export const EventData = {
  auth_ok: z.object({
    player: PlayerInfo,
    session_token: z.string(),
    resume_window_s: z.number(),
    message: z.string().optional(),
  }),
  auth_error: z.object({ reason: z.string(), ...withMessage }),
  game_state: z.object({
    player: PlayerInfo,
    room: RoomView,
    occupants: z.array(Occupant),
    ...withMessage,
  }),
  room_update: z.object({ room: RoomView, occupants: z.array(Occupant), ...withMessage }),
  room_occupants: z.object({ room_id: z.string(), occupants: z.array(Occupant), count: z.number().int() }),
  player_entered: z.object({
    player_id: z.string(),
    player_name: z.string(),
    from: z.string().nullable(),
    ...withMessage,
  }),
  player_left: z.object({
    player_id: z.string(),
    player_name: z.string(),
    to: z.string().nullable(),
    ...withMessage,
  }),
  player_entered_game: z.object({ player_id: z.string(), player_name: z.string(), ...withMessage }),
  player_left_game: z.object({ player_id: z.string(), player_name: z.string(), ...withMessage }),
  message: z.object({
    channel: Channel,
    from: PlayerRef.nullable(),
    text: z.string(),
    ...withMessage,
  }),
  presence: z.object({ player_id: z.string(), player_name: z.string(), status: Status, ...withMessage }),
  command_output: z.object({ text: z.string() }),
  error: z.object({ code: z.string(), message: z.string() }),
  pong: z.object({ id: z.union([z.string(), z.number()]).nullable() }),
} as const;

export type EventType = keyof typeof EventData;
export type EventDataOf<T extends EventType> = z.infer<(typeof EventData)[T]>;
export const EVENT_TYPES = Object.keys(EventData) as EventType[];

const envelopeFields = {
  timestamp: z.string().datetime({ offset: false }),
  sequence_number: z.number().int().positive(),
  room_id: z.string().nullable(),
  player_id: z.string().nullable(),
};

function envelopeOf<T extends EventType>(type: T) {
  return z.object({ event_type: z.literal(type), ...envelopeFields, data: EventData[type] });
}

/** One server->client frame: exactly the six fields of PROTOCOL.md section 4. */
export const Envelope = z.discriminatedUnion('event_type', [
  envelopeOf('auth_ok'),
  envelopeOf('auth_error'),
  envelopeOf('game_state'),
  envelopeOf('room_update'),
  envelopeOf('room_occupants'),
  envelopeOf('player_entered'),
  envelopeOf('player_left'),
  envelopeOf('player_entered_game'),
  envelopeOf('player_left_game'),
  envelopeOf('message'),
  envelopeOf('presence'),
  envelopeOf('command_output'),
  envelopeOf('error'),
  envelopeOf('pong'),
]);
export type Envelope = z.infer<typeof Envelope>;
export type EnvelopeOf<T extends EventType> = Extract<Envelope, { event_type: T }>;

/** Client -> server frames on the WebSocket door. */
export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('register'), name: PlayerName, password: Password }),
  z.object({ type: z.literal('login'), name: PlayerName, password: z.string().min(1).max(200) }),
  z.object({
    type: z.literal('resume'),
    session_token: z.string().min(1).max(200),
    last_sequence: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('command'), text: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('ping'), id: z.union([z.string().max(200), z.number()]).optional() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Capitalise a name the way it is shown: `armitage` -> `Armitage`. */
export function displayName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1).toLowerCase();
}
