// What a sysop can do to the game: kick, ban, broadcast, manage accounts, teleport, shut down.
// Plain functions over Game, so the admin HTTP API and the in-game @commands do exactly the same
// thing, log it the same way (who, what, and pino's timestamp for when) and tell the same player.
import { cleanText } from '../../shared/clean-text.js';
import { NAME_PATTERN, Password, PlayerName, displayName, problemWith, type Role } from '../../shared/protocol.js';
import type { Account } from '../store/repository.js';
import { loadWorld, WorldError } from '../world/load.js';
import { NameTakenError } from '../store/repository.js';
import type { Game } from './game.js';
import type { PresentPlayer } from './presence.js';

/** Who did it: a player's name for an in-game command, `api@ADDRESS` for the HTTP API. */
export type Actor = string;

export type ModerationError =
  | 'no_such_player'
  | 'no_such_account'
  | 'no_such_room'
  | 'invalid_name'
  | 'weak_password'
  | 'name_taken'
  | 'not_yourself'
  | 'empty'
  | 'invalid_world';

export type Outcome<T extends object = object> =
  | ({ ok: true; message: string } & T)
  | { ok: false; code: ModerationError; message: string };

function fail(code: ModerationError, message: string): { ok: false; code: ModerationError; message: string } {
  return { ok: false, code, message };
}

function audit(game: Game, by: Actor, action: string, fields: Record<string, unknown> = {}): void {
  game.log.info({ admin: by, action, ...fields }, `admin: ${action}`);
}

function findAccount(game: Game, name: string): Account | undefined {
  return NAME_PATTERN.test(name) ? game.store.findAccount(name) : undefined;
}

const withReason = (text: string, reason: string | undefined) => (reason ? `${text}: ${reason}` : `${text}.`);

/**
 * A reason or a broadcast from a sysop reaches players' screens like anything a player types, so
 * it passes the same gate, whichever way it came (an @command, the HTTP API).
 */
function cleanReason(reason: string | undefined): string | undefined {
  return reason === undefined ? undefined : cleanText(reason).trim() || undefined;
}

// ---- who ------------------------------------------------------------------------------------

export interface OnlinePlayer {
  name: string;
  role: Role;
  roomId: string;
  roomName: string;
  door: PresentPlayer['door'];
  address: string | null;
  status: PresentPlayer['status'];
  idleS: number;
  onlineS: number;
}

/** Everyone in the game, sorted by name, with what a sysop wants to know about them. */
export function onlinePlayers(game: Game, now = Date.now()): OnlinePlayer[] {
  const out: OnlinePlayer[] = [];
  for (const p of game.presence.all()) {
    out.push({
      name: p.name,
      role: p.role,
      roomId: p.roomId,
      roomName: game.world.rooms.get(p.roomId)?.name ?? p.roomId,
      door: p.door,
      address: p.remoteAddress,
      status: p.status,
      idleS: Math.max(0, Math.floor((now - p.lastActive) / 1000)),
      onlineS: Math.max(0, Math.floor((now - p.loggedInAt) / 1000)),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

// ---- kick and ban ---------------------------------------------------------------------------

/** Disconnects a player; `leave` saves the character and tells the room. */
export function kickPlayer(game: Game, name: string, by: Actor, rawReason?: string): Outcome<{ name: string }> {
  const reason = cleanReason(rawReason);
  const player = NAME_PATTERN.test(name) ? game.presence.findByName(name) : undefined;
  const session = player && game.session(player.id);
  if (!player || !session) return fail('no_such_player', `no such player: ${displayName(name)}`);
  audit(game, by, 'kick', { target: player.name, reason: reason ?? null });
  game.leave(session, 'kicked', withReason('You have been removed from the game by an administrator', reason));
  return { ok: true, message: `Kicked ${player.name}.`, name: player.name };
}

/** Bans an account (held at login by Game.authenticate) and throws the player out if online. */
export function banAccount(game: Game, name: string, by: Actor, rawReason?: string): Outcome<{ name: string; kicked: boolean }> {
  const reason = cleanReason(rawReason);
  const account = findAccount(game, name);
  if (!account) return fail('no_such_account', `no such player: ${displayName(name)}`);
  // The store marks a ban by a non-null reason; an empty one reads as "no reason given".
  game.store.setBan(account.id, reason ?? '');
  audit(game, by, 'ban', { target: account.displayName, reason: reason ?? null });
  const session = game.session(account.id);
  if (session) game.leave(session, 'banned', withReason('You have been banned from Arkham', reason));
  const kicked = session !== undefined;
  return { ok: true, message: `Banned ${account.displayName}${kicked ? ' and removed them from the game' : ''}.`, name: account.displayName, kicked };
}

export function unbanAccount(game: Game, name: string, by: Actor): Outcome<{ name: string; was_banned: boolean }> {
  const account = findAccount(game, name);
  if (!account) return fail('no_such_account', `no such player: ${displayName(name)}`);
  const wasBanned = account.bannedAt !== null;
  game.store.setBan(account.id, null);
  audit(game, by, 'unban', { target: account.displayName, was_banned: wasBanned });
  return {
    ok: true,
    message: wasBanned ? `Unbanned ${account.displayName}.` : `${account.displayName} was not banned.`,
    name: account.displayName,
    was_banned: wasBanned,
  };
}

// ---- broadcast ------------------------------------------------------------------------------

/** A `broadcast` message to everyone in the game, from a player (in game) or from nobody (API). */
export function broadcast(game: Game, raw: string, by: Actor, from: PresentPlayer | null = null): Outcome<{ recipients: number }> {
  const text = cleanText(raw).trim();
  if (!text) return fail('empty', 'the message is empty');
  const recipients = game.presence.size;
  audit(game, by, 'broadcast', { text, recipients });
  announce(game, text, from);
  return { ok: true, message: `Broadcast sent to ${recipients} ${recipients === 1 ? 'player' : 'players'}.`, recipients };
}

function announce(game: Game, text: string, from: PresentPlayer | null = null): void {
  game.bus.publish('PlayerSpoke', {
    channel: 'broadcast',
    playerId: from?.id ?? null,
    name: from?.name ?? null,
    roomId: null,
    to: null,
    text,
  });
}

function tell(game: Game, playerId: string, text: string): void {
  game.bus.publish('PlayerSpoke', { channel: 'system', playerId: null, name: null, roomId: null, to: playerId, text });
}

// ---- accounts -------------------------------------------------------------------------------

export interface AccountInput {
  name: string;
  password: string;
  role?: Role | undefined;
}

export async function createAccount(game: Game, input: AccountInput, by: Actor): Promise<Outcome<{ name: string; role: Role }>> {
  const badName = problemWith(PlayerName, input.name);
  if (badName) return fail('invalid_name', badName);
  const weak = problemWith(Password, input.password);
  if (weak) return fail('weak_password', weak);
  if (game.store.findAccount(input.name)) return fail('name_taken', `the name ${displayName(input.name)} is taken`);
  const role = input.role ?? 'player';
  const passwordHash = await game.accounts.passwords.hash(input.password);
  let account: Account;
  try {
    account = game.store.createAccount({ name: input.name, passwordHash, role, roomId: game.world.start.id });
  } catch (err) {
    // A player registered the same name while the password was being hashed.
    if (err instanceof NameTakenError) return fail('name_taken', `the name ${displayName(input.name)} is taken`);
    throw err;
  }
  audit(game, by, 'create account', { target: account.displayName, role });
  return { ok: true, message: `Created ${account.displayName} (${role}).`, name: account.displayName, role };
}

export async function setPassword(game: Game, name: string, password: string, by: Actor): Promise<Outcome<{ name: string }>> {
  const account = findAccount(game, name);
  if (!account) return fail('no_such_account', `no such player: ${displayName(name)}`);
  const weak = problemWith(Password, password);
  if (weak) return fail('weak_password', weak);
  const hash = await game.accounts.passwords.hash(password);
  game.store.setPasswordHash(account.id, hash);
  audit(game, by, 'set password', { target: account.displayName });
  if (game.session(account.id)) tell(game, account.id, 'An administrator has changed your password.');
  return { ok: true, message: `Password of ${account.displayName} changed.`, name: account.displayName };
}

/** Changes an account's role; a player in the game gets (or loses) the @commands at once. */
export function setRole(game: Game, name: string, role: Role, by: Actor): Outcome<{ name: string; role: Role }> {
  const account = findAccount(game, name);
  if (!account) return fail('no_such_account', `no such player: ${displayName(name)}`);
  game.store.setRole(account.id, role);
  audit(game, by, 'set role', { target: account.displayName, role, was: account.role });
  const present = game.presence.get(account.id);
  if (present && present.role !== role) {
    game.presence.update(account.id, { role });
    tell(game, account.id, role === 'admin' ? 'You are now an administrator. Type "help" to see the @commands.' : 'You are no longer an administrator.');
  }
  return { ok: true, message: `${account.displayName} is now ${role === 'admin' ? 'an admin' : 'a player'}.`, name: account.displayName, role };
}

// ---- goto -----------------------------------------------------------------------------------

/** Moves a player straight to a room: one step, like a walk, saved before anyone is told. */
export function gotoRoom(game: Game, player: PresentPlayer, roomId: string, by: Actor): Outcome<{ room_id: string; moved: boolean }> {
  const room = game.world.rooms.get(roomId);
  if (!room) return fail('no_such_room', `There is no room with the id "${roomId}".`);
  if (room.id === player.roomId) return { ok: true, message: 'You are already there.', room_id: room.id, moved: false };
  const from = game.moveTo(player, room.id);
  audit(game, by, 'goto', { target: player.name, from, to: room.id });
  return { ok: true, message: `${player.name} went to ${room.name}.`, room_id: room.id, moved: true };
}

// ---- reload ---------------------------------------------------------------------------------

export const RELOAD_BEFORE = 'The air of Arkham shimmers, and for a moment the streets seem to shift...';
export const RELOAD_AFTER = '...and Arkham settles again, a little changed.';

/**
 * Reads the world file again and, if it is sound, puts it in place with everyone in it: the
 * players hear one line before and one after. A file that does not load or does not check is
 * refused with its error, and the old world plays on untouched.
 */
export function reloadWorld(game: Game, by: Actor, file: string | null = game.worldFile): Outcome<{ ms: number; rooms: number; moved: string[] }> {
  const started = performance.now();
  const at = new Date().toISOString();
  let world;
  try {
    world = file === null ? loadWorld() : loadWorld(file);
  } catch (err) {
    const message = err instanceof WorldError ? err.message : `cannot load the world: ${(err as Error).message}`;
    game.lastReload = { at, ms: Math.round(performance.now() - started), by, ok: false, message };
    audit(game, by, 'reload refused', { error: message });
    return fail('invalid_world', message);
  }
  announce(game, RELOAD_BEFORE);
  const moved = game.replaceWorld(world);
  announce(game, RELOAD_AFTER);
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const message = `Reloaded ${world.name}: ${world.rooms.size} rooms in ${ms} ms${moved.length ? `; moved to the start room: ${moved.join(', ')}` : ''}.`;
  game.lastReload = { at, ms, by, ok: true, message };
  audit(game, by, 'reload', { rooms: world.rooms.size, ms, moved });
  return { ok: true, message, ms, rooms: world.rooms.size, moved };
}

// ---- shutdown -------------------------------------------------------------------------------

export const DEFAULT_GRACE_S = 10;
export const MAX_GRACE_S = 3600;

/** What actually stops the server (main.ts registers its `stop`); without one, Game.shutdown. */
export type ShutdownHandler = (notice?: string) => Promise<void> | void;

/** A game's scheduled shutdown: Game.shutdownState, so each game has its own countdown. */
export interface ShutdownState {
  handler: ShutdownHandler | null;
  timer: NodeJS.Timeout | null;
  deadline: number | null;
}

function shutdownState(game: Game): ShutdownState {
  return game.shutdownState;
}

export function onShutdown(game: Game, handler: ShutdownHandler): void {
  shutdownState(game).handler = handler;
}

/** Seconds until the scheduled shutdown, or null when none is scheduled. */
export function shutdownIn(game: Game, now = Date.now()): number | null {
  const deadline = game.shutdownState.deadline;
  return deadline === null ? null : Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** The countdown announcements: at the start, then as the remaining time passes each mark. */
const MARKS = [600, 300, 120, 60, 30, 10, 5, 3, 2, 1];

function inWords(s: number): string {
  if (s >= 120 && s % 60 === 0) return `${s / 60} minutes`;
  return s === 1 ? '1 second' : `${s} seconds`;
}

/**
 * Starts the countdown: logins are refused at once, everyone hears the time left at each mark,
 * then the handler saves everyone and closes. A second request can bring the time forward, never
 * push it back.
 */
export function requestShutdown(game: Game, graceS: number, by: Actor): Outcome<{ grace_s: number; scheduled: boolean }> {
  const st = shutdownState(game);
  const now = Date.now();
  const deadline = now + Math.max(0, graceS) * 1000;
  if (st.deadline !== null && st.deadline <= deadline) {
    const left = shutdownIn(game, now) ?? 0;
    return { ok: true, message: `A shutdown is already under way: ${inWords(left)} left.`, grace_s: left, scheduled: false };
  }
  if (st.timer) clearTimeout(st.timer);
  st.deadline = deadline;
  game.closing = true;
  audit(game, by, 'shutdown', { grace_s: graceS });
  // The countdown lines are not separate admin actions: one audit line above covers them.
  const warn = (s: number) => announce(game, `The server will shut down in ${inWords(s)}. Your character will be saved.`);

  const finish = () => {
    st.timer = null;
    announce(game, 'The server is shutting down now.');
    const stop = st.handler ?? ((notice?: string) => game.shutdown(notice));
    Promise.resolve()
      .then(() => stop())
      .catch((err: unknown) => game.log.error({ err }, 'shutdown failed'));
  };
  // Waits for the next mark below `left` seconds, announces it, and so on down to zero.
  const next = (left: number) => {
    const mark = MARKS.find((m) => m < left);
    const until = deadline - (mark ?? 0) * 1000 - Date.now();
    st.timer = setTimeout(() => {
      if (mark === undefined) return finish();
      warn(mark);
      next(mark);
    }, Math.max(0, until));
    // The listening servers keep the process alive; a stopped server must not wait for this.
    st.timer.unref();
  };
  if (graceS > 0) warn(graceS);
  // Even with no grace the stop waits one turn, so the request that asked for it is answered.
  next(graceS);
  return {
    ok: true,
    message: graceS > 0 ? `Shutting down in ${inWords(graceS)}.` : 'Shutting down now.',
    grace_s: graceS,
    scheduled: true,
  };
}
