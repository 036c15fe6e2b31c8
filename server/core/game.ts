// The game: sessions, presence and commands wired to the bus and the bridge, over accounts.ts.
// Doors call it with connections and lines; it never sees a socket.
import type { Logger } from 'pino';
import { cleanText } from '../../shared/clean-text.js';
import { type EventDataOf, type EventType, type PlayerSettings, type RoomView } from '../../shared/protocol.js';
import type { Account, Store } from '../store/repository.js';
import type { World } from '../world/load.js';
import { InProcessBus, type EventBus } from './bus.js';
import { startBridge } from './bridge.js';
import { dispatch } from './commands/index.js';
import { Delivery } from './delivery.js';
import type { Connection } from './connection.js';
import type { LeaveReason } from './events.js';
import type { ThrottleOptions } from './failure-throttle.js';
import { Accounts } from './accounts.js';
import { Outbound } from './outbound.js';
import { ReplayLog } from './replay-log.js';
import type { ShutdownState } from './moderation.js';
import { LocalPresence, type Presence, type PresentPlayer } from './presence.js';
import { PlayerSession } from './session.js';
import { roomText, roomView } from './text.js';

export interface GameOptions {
  world: World;
  /** Where the world came from, read again by a reload (moderation.reloadWorld). */
  worldFile?: string;
  store: Store;
  log: Logger;
  bus?: EventBus;
  /** How long a link-dead body waits for its player before leaving the game. */
  resumeWindowS?: number;
  occupantsIntervalMs?: number;
  /** How wrong passwords slow down the next attempts (tests shorten the waits). */
  loginThrottle?: Partial<ThrottleOptions>;
  /** The bytes of the replay log a WebSocket `resume` reads from (replay-log.ts). */
  replayLogBytes?: number;
  /**
   * Tests: every delivery goes through JSON and its schema first, as it would between processes,
   * so nothing that cannot cross a process boundary creeps into one.
   */
  checkDeliveries?: boolean;
}

/** The last reload of the world file, for the log and `mythos admin status`. */
export interface ReloadRecord {
  at: string;
  ms: number;
  by: string;
  ok: boolean;
  message: string;
}

export class Game {
  /** Replaced whole by a reload; everything reads it at the time of use, never keeps a room. */
  world: World;
  readonly worldFile: string | null;
  lastReload: ReloadRecord | null = null;
  readonly store: Store;
  readonly bus: EventBus;
  readonly log: Logger;
  readonly presence: Presence = new LocalPresence();
  readonly resumeWindowS: number;
  readonly startedAt = Date.now();
  private readonly sessions = new Map<string, PlayerSession>();
  private readonly byToken = new Map<string, PlayerSession>();
  private readonly views = new Map<string, RoomView>();
  private readonly stopBridge: () => void;
  /** Names, passwords, bans: accounts.ts. */
  readonly accounts: Accounts;
  /** What WebSocket sessions keep for a resume, shared by this game's sessions. */
  readonly replayLog: ReplayLog;
  /** A scheduled shutdown (moderation.ts), kept with the game it stops. */
  readonly shutdownState: ShutdownState = { handler: null, timer: null, deadline: null };
  /** Set once shutdown begins: new logins are refused. */
  closing = false;

  constructor(opts: GameOptions) {
    this.world = opts.world;
    this.worldFile = opts.worldFile ?? null;
    this.store = opts.store;
    this.log = opts.log;
    this.bus = opts.bus ?? new InProcessBus(opts.log);
    this.resumeWindowS = opts.resumeWindowS ?? 60;
    this.accounts = new Accounts({
      store: opts.store,
      log: opts.log,
      startRoom: () => this.world.start.id,
      closing: () => this.closing,
      ...(opts.loginThrottle ? { loginThrottle: opts.loginThrottle } : {}),
    });
    this.replayLog = new ReplayLog(opts.replayLogBytes);
    this.stopBridge = startBridge({
      bus: this.bus,
      presence: this.presence,
      deliver: opts.checkDeliveries ? (d) => this.deliver(Delivery.parse(JSON.parse(JSON.stringify(d)))) : (d) => this.deliver(d),
      roomView: (id) => this.roomView(id),
      ...(opts.occupantsIntervalMs === undefined ? {} : { occupantsIntervalMs: opts.occupantsIntervalMs }),
    });
  }

  /** A delivery from the bridge: one Outbound, shared by its recipients' sessions. */
  private deliver(d: Delivery): void {
    const e = d.event;
    // `never`: the data was built by wireEvent for this very event type (typed there), and the
    // Delivery schema only knows it as a JSON object.
    const out = new Outbound(e.event_type, e.room_id, e.player_id, e.data as never, e.timestamp);
    for (const id of d.to) this.sessions.get(id)?.send(out);
  }

  roomView(roomId: string): RoomView {
    let view = this.views.get(roomId);
    if (!view) {
      const room = this.world.rooms.get(roomId) ?? this.world.start;
      view = roomView(room, this.world.areas.get(room.area)?.name ?? room.area);
      this.views.set(roomId, view);
    }
    return view;
  }

  // ---- sessions ----------------------------------------------------------------------------

  session(playerId: string): PlayerSession | undefined {
    return this.sessions.get(playerId);
  }

  sessionCount(): number {
    return this.sessions.size;
  }

  /**
   * Puts an authenticated account into the game on `conn`. A character already in the game (in
   * another connection, or link-dead) is taken over: never two bodies.
   */
  enter(account: Account, conn: Connection): PlayerSession {
    this.store.recordLogin(account.id);
    const existing = this.sessions.get(account.id);
    if (existing) {
      // The new connection gets auth_ok first, numbered on from its own frames: the sequence
      // restarts before the body's return (link-dead -> online) is announced, which sends to it too.
      this.byToken.delete(existing.token);
      existing.rotateToken();
      this.byToken.set(existing.token, existing);
      this.attach(existing, conn, 'Someone has logged in as you from elsewhere; this connection is closed.', () => {
        existing.restartSequence(conn.framesBeforeLogin, conn.replays);
        this.sendAuthOk(existing, account);
        this.sendGameState(existing);
      });
      this.log.info({ player: account.name, door: conn.door, addr: conn.remoteAddress }, 'took over body');
      return existing;
    }
    const character = this.store.getCharacter(account.id);
    const roomId = character && this.world.rooms.has(character.roomId) ? character.roomId : this.world.start.id;
    const session = new PlayerSession(account.id, account.displayName, this.replayLog);
    session.restartSequence(conn.framesBeforeLogin, conn.replays);
    session.settings = account.settings;
    session.connection = conn;
    conn.configure?.(session.settings);
    this.sessions.set(account.id, session);
    this.byToken.set(session.token, session);
    const now = Date.now();
    this.presence.add({
      id: account.id,
      name: account.displayName,
      role: account.role,
      roomId,
      status: 'online',
      door: conn.door,
      remoteAddress: conn.remoteAddress,
      lastActive: now,
      loggedInAt: now,
    });
    this.sendAuthOk(session, account);
    this.sendGameState(session);
    this.bus.publish('PlayerEnteredGame', { playerId: account.id, name: account.displayName, roomId });
    this.log.info({ player: account.name, door: conn.door, addr: conn.remoteAddress, room: roomId }, 'entered game');
    return session;
  }

  /** WebSocket resume: the session of `token`, now on `conn`, with what it missed replayed. */
  resume(token: string, lastSequence: number, conn: Connection): PlayerSession | undefined {
    const session = this.byToken.get(token);
    if (!session || this.closing) return undefined;
    // Replay before the body's return is announced: that announcement is itself a new event, and
    // sent first it would arrive ahead of (and again inside) the replay.
    this.attach(session, conn, 'Your session was resumed from elsewhere; this connection is closed.', () => {
      if (!session.replayAfter(lastSequence)) this.sendGameState(session);
    });
    this.log.info({ player: session.name, door: conn.door, from: lastSequence }, 'resumed');
    return session;
  }

  /** `catchUp` runs once `conn` is attached, before anything about the body's return is sent. */
  private attach(session: PlayerSession, conn: Connection, noticeToOld: string, catchUp: () => void): void {
    const old = session.connection;
    session.connection = conn;
    conn.configure?.(session.settings);
    if (old && old !== conn) old.close(noticeToOld, 'takeover');
    if (session.linkdeadTimer) {
      clearTimeout(session.linkdeadTimer);
      session.linkdeadTimer = null;
    }
    catchUp();
    const player = this.presence.update(session.playerId, { door: conn.door, remoteAddress: conn.remoteAddress, lastActive: Date.now() });
    if (!player) return;
    if (player.status === 'linkdead') this.setStatus(player, 'online');
  }

  /**
   * A line typed by the player (telnet) or a `command` frame (WebSocket): the input gate. It is
   * cleaned here, whatever door it came by, before anything parses or publishes it.
   */
  input(session: PlayerSession, raw: string): void {
    const player = this.presence.update(session.playerId, { lastActive: Date.now() });
    if (!player) return;
    const line = cleanText(raw);
    try {
      dispatch(this, session, player, line);
    } catch (err) {
      // A bug in one command must not take the server (and everyone in it) down.
      this.log.error({ err, player: player.name, line }, 'command failed');
      this.reply(player.id, 'Something went wrong with that command; it has been logged.');
    }
  }

  /** The connection dropped without `quit`: the body stays, link-dead, for the resume window. */
  connectionLost(session: PlayerSession, conn: Connection): void {
    if (session.connection !== conn) return; // an old connection, already replaced
    session.connection = null;
    const player = this.presence.get(session.playerId);
    if (!player) return;
    this.setStatus(player, 'linkdead');
    this.log.info({ player: player.name }, 'link lost');
    session.linkdeadTimer = setTimeout(() => {
      session.linkdeadTimer = null;
      this.leave(session, 'linkdead');
    }, this.resumeWindowS * 1000);
  }

  /** Takes the character out of the game, saved; closes its connection with `notice`. */
  leave(session: PlayerSession, reason: LeaveReason, notice?: string): void {
    if (this.sessions.get(session.playerId) !== session) return;
    if (session.linkdeadTimer) clearTimeout(session.linkdeadTimer);
    session.linkdeadTimer = null;
    const player = this.presence.remove(session.playerId);
    this.sessions.delete(session.playerId);
    this.byToken.delete(session.token);
    if (player) {
      this.store.saveCharacter({ accountId: player.id, roomId: player.roomId, status: 'online' });
      this.bus.publish('PlayerLeftGame', { playerId: player.id, name: player.name, roomId: player.roomId, reason });
      this.log.info({ player: player.name, reason }, 'left game');
    }
    const conn = session.connection;
    session.connection = null;
    conn?.close(notice, reason);
  }

  /** A player changed how their screen looks: kept with the account, applied to the connection. */
  changeSettings(session: PlayerSession, change: Partial<PlayerSettings>): PlayerSettings {
    session.settings = { ...session.settings, ...change };
    this.store.setSettings(session.playerId, session.settings);
    session.connection?.configure?.(session.settings);
    return session.settings;
  }

  setStatus(player: PresentPlayer, status: PresentPlayer['status']): void {
    if (player.status === status) return;
    this.presence.update(player.id, { status });
    this.bus.publish('PlayerStatusChanged', { playerId: player.id, name: player.name, roomId: player.roomId, status });
  }

  /** Sends one player an event of their own (command output, an error, their room). */
  notify<T extends EventType>(playerId: string, eventType: T, data: EventDataOf<T>, roomId: string | null = null): void {
    this.bus.publish('PlayerNotified', { playerId, roomId, eventType, data } as never);
  }

  reply(playerId: string, text: string): void {
    this.notify(playerId, 'command_output', { text });
  }

  sendGameState(session: PlayerSession): void {
    const player = this.presence.get(session.playerId);
    if (!player) return;
    const room = this.roomView(player.roomId);
    const occupants = this.presence.occupants(player.roomId);
    this.notify(
      session.playerId,
      'game_state',
      {
        player: { id: player.id, name: player.name, role: player.role },
        room,
        occupants,
        message: roomText(room, occupants.filter((o) => o.id !== player.id)),
      },
      player.roomId,
    );
  }

  private sendAuthOk(session: PlayerSession, account: Account): void {
    this.notify(session.playerId, 'auth_ok', {
      player: { id: account.id, name: account.displayName, role: account.role },
      session_token: session.token,
      resume_window_s: this.resumeWindowS,
      message: `Welcome to Arkham, ${account.displayName}.`,
    });
  }

  /**
   * Puts a new world in place of the old one, with everyone in it: no connection is touched. A
   * player whose room the new world lacks is moved to its start room, saved there, and told.
   * Returns the names of those moved.
   */
  replaceWorld(world: World): string[] {
    this.world = world;
    this.views.clear(); // room views are built again from the new rooms as they are asked for
    const moved: string[] = [];
    for (const player of [...this.presence.all()]) {
      if (world.rooms.has(player.roomId)) continue;
      moved.push(player.name);
      this.reply(player.id, `The place where you stood is no longer there. You find yourself in ${world.start.name}.`);
      this.moveTo(player, world.start.id);
    }
    return moved;
  }

  /**
   * The one step every move is: out of one room and into the other (no command can run between),
   * saved before anyone is told, then the departure and the arrival. `to`/`from` are the
   * directions others see; null for a move that is not a walk (a sysop's @goto, a reload).
   * Returns the room left.
   */
  moveTo(player: PresentPlayer, roomId: string, to: string | null = null, from: string | null = null): string {
    const left = this.presence.move(player.id, roomId);
    this.store.saveRoom(player.id, roomId);
    this.bus.publish('PlayerLeftRoom', { playerId: player.id, name: player.name, roomId: left, to });
    this.bus.publish('PlayerEnteredRoom', { playerId: player.id, name: player.name, roomId, from });
    return left;
  }

  /** Everyone told, every character saved, every connection closed. The bridge stops last. */
  shutdown(notice = 'The server is shutting down. Your character has been saved.'): void {
    this.closing = true;
    for (const session of [...this.sessions.values()]) this.leave(session, 'shutdown', notice);
    this.stopBridge();
    this.accounts.close();
  }
}
