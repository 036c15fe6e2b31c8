// The admin API of PROTOCOL.md section 5 as zod schemas: the request bodies the server validates
// and the answers `mythos admin` parses. Both sides import this one file, so there is no twin.
import { z } from 'zod';
import { Door, Password, PlayerName, Role, Status } from '../../shared/protocol.js';
import { DEFAULT_GRACE_S, MAX_GRACE_S } from '../core/moderation.js';

/** One line of printable text: a control character would reach every telnet screen raw. */
const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'one line of text, without control characters');

export const Reason = oneLine(200);
export { DEFAULT_GRACE_S, MAX_GRACE_S };

// Strict objects: a misspelt field (`grace` for `grace_s`) is an error, not silently ignored.
export const KickBody = z.strictObject({ name: PlayerName, reason: Reason.optional() });
export const BanBody = z.strictObject({ name: PlayerName, reason: Reason.optional() });
export const BroadcastBody = z.strictObject({ message: oneLine(1000).min(1, 'the message is empty') });
export const CreateAccountBody = z.strictObject({ name: PlayerName, password: Password, role: Role.optional() });
export const PasswordBody = z.strictObject({ password: Password });
export const RoleBody = z.strictObject({ role: Role });
export const ShutdownBody = z.strictObject({
  grace_s: z.number().int('whole seconds').min(0).max(MAX_GRACE_S, `at most ${MAX_GRACE_S} seconds`).optional(),
});

export type KickBody = z.infer<typeof KickBody>;
export type BanBody = z.infer<typeof BanBody>;
export type BroadcastBody = z.infer<typeof BroadcastBody>;
export type CreateAccountBody = z.infer<typeof CreateAccountBody>;
export type ShutdownBody = z.infer<typeof ShutdownBody>;

// ---- answers --------------------------------------------------------------------------------

export const ErrorAnswer = z.object({ error: z.string(), message: z.string() });
export type ErrorAnswer = z.infer<typeof ErrorAnswer>;

/** Every action answers with a sentence for the sysop, plus fields for scripts. */
export const OkAnswer = z.looseObject({ ok: z.literal(true), message: z.string() });
export type OkAnswer = z.infer<typeof OkAnswer>;

export const StatusAnswer = z.object({
  uptime_s: z.number(),
  players_online: z.number().int(),
  connections: z.record(Door, z.number().int()),
  memory: z.object({ rss_bytes: z.number(), heap_used_bytes: z.number(), heap_total_bytes: z.number() }),
  events_per_second: z.number(),
  closing: z.boolean(),
  shutdown_in_s: z.number().nullable(),
  /** The last `reload` of the world file (optional: older servers do not say). */
  last_reload: z.object({ at: z.string(), ms: z.number(), by: z.string(), ok: z.boolean(), message: z.string() }).nullable().optional(),
});
export type StatusAnswer = z.infer<typeof StatusAnswer>;

export const PlayerRow = z.object({
  name: z.string(),
  role: Role,
  room_id: z.string(),
  room_name: z.string(),
  door: Door.nullable(),
  address: z.string().nullable(),
  status: Status,
  idle_s: z.number().int(),
  online_s: z.number().int(),
});
export type PlayerRow = z.infer<typeof PlayerRow>;
export const PlayersAnswer = z.object({ players: z.array(PlayerRow) });
export type PlayersAnswer = z.infer<typeof PlayersAnswer>;

export const AccountRow = z.object({
  name: z.string(),
  role: Role,
  created_at: z.string(),
  last_login_at: z.string().nullable(),
  banned: z.boolean(),
  ban_reason: z.string().nullable(),
  online: z.boolean(),
});
export type AccountRow = z.infer<typeof AccountRow>;
export const AccountsAnswer = z.object({ accounts: z.array(AccountRow) });
export type AccountsAnswer = z.infer<typeof AccountsAnswer>;

/** `field: problem; field: problem`: one line a sysop can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length ? i.path.join('.') : 'body';
      return `${where}: ${i.message}`;
    })
    .join('; ');
}
