// The wire contract of PROTOCOL.md section 4, as zod schemas. The server builds envelopes with
// these types, the WebSocket door validates client frames with them, and the TUI parses server
// frames with them. Every TypeScript type here is inferred: there is no hand-written twin.
import { z } from 'zod';

// ---- the accounts policy: every door, the admin API, `mythos admin` and the TUI read it here ----

export const NAME_PATTERN = /^[A-Za-z]{2,20}$/;
export const PlayerName = z.string().regex(NAME_PATTERN, 'a name is 2 to 20 letters, A to Z, with no spaces or digits');
export const PASSWORD_MIN = 6;
export const PASSWORD_MAX = 200;
/**
 * A new password. Control characters are refused rather than stripped: a door that edits or
 * cleans its lines (telnet) could never type the same password again.
 */
export const Password = z
  .string()
  .min(PASSWORD_MIN, `a password has at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `a password has at most ${PASSWORD_MAX} characters`)
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'a password holds no control characters');
/** Three wrong passwords close a connection, on either door. */
export const MAX_PASSWORD_TRIES = 3;

/** What is wrong with `value` by `schema`, in the schema's words ("a password has ..."), or null. */
export function problemWith(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? 'invalid');
}

/** A schema's words as a sentence for a person: "A password has at least 6 characters." */
export function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1) + '.';
}

// ---- input limits -----------------------------------------------------------------------------

/** The longest line a player may send, in UTF-8 bytes, on either door. */
export const MAX_LINE_BYTES = 4096;

/** UTF-8 length of a string without encoding it (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function withinLineLimit(s: string): boolean {
  // A UTF-16 unit is 1 to 3 bytes (a pair, 4): most lines are decided without counting.
  if (s.length > MAX_LINE_BYTES) return false;
  return s.length * 3 <= MAX_LINE_BYTES || utf8Length(s) <= MAX_LINE_BYTES;
}

/** A `command`'s text: one line a telnet player could have typed, within the line limit. */
export const CommandText = z
  .string()
  .min(1)
  .refine((s) => withinLineLimit(s), {
    message: `a line is at most ${MAX_LINE_BYTES} bytes`,
  });

export const Role = z.enum(['player', 'admin']);
export type Role = z.infer<typeof Role>;

export const Status = z.enum(['online', 'away', 'busy', 'linkdead']);
export type Status = z.infer<typeof Status>;

export const Door = z.enum(['telnet', 'ws']);
export type Door = z.infer<typeof Door>;

/**
 * How a player wants their telnet screen, kept with the account. `auto` follows what the client
 * said in negotiation (CHARSET, TTYPE/MTTS); anything else overrides it.
 */
export const Encoding = z.enum(['auto', 'utf-8', 'latin-1', 'ascii']);
export type Encoding = z.infer<typeof Encoding>;
export const ColourSetting = z.enum(['auto', 'off', 'on', '256']);
export type ColourSetting = z.infer<typeof ColourSetting>;
export const PlayerSettings = z.object({
  encoding: Encoding.catch('auto'),
  colour: ColourSetting.catch('auto'),
  prompt: z.enum(['on', 'off']).catch('on'),
});
export type PlayerSettings = z.infer<typeof PlayerSettings>;
export const DEFAULT_SETTINGS: PlayerSettings = { encoding: 'auto', colour: 'auto', prompt: 'on' };

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
  z.object({ type: z.literal('command'), text: CommandText }),
  z.object({ type: z.literal('ping'), id: z.union([z.string().max(200), z.number()]).optional() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Capitalise a name the way it is shown: `armitage` -> `Armitage`. */
export function displayName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1).toLowerCase();
}
