// One WebSocket connection: JSON frames in through parseFrame, to the game as the very calls the
// telnet door makes (register/authenticate/enter, resume, input); envelopes out as JSON frames.
// Every limit is bounded here: wrong passwords, time to log in, frames waiting to run (the input
// queue both doors share), unanswered pings, bytes queued for a client that does not read.
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, type RawData } from 'ws';
import { MAX_PASSWORD_TRIES, type EventDataOf, type EventType } from '../../shared/protocol.js';
import type { CloseReason, Connection } from '../core/connection.js';
import type { AuthResult } from '../core/accounts.js';
import type { Game } from '../core/game.js';
import { Outbound } from '../core/outbound.js';
import type { PlayerSession } from '../core/session.js';
import { DEFAULT_INPUT_LIMITS, FLOOD_NOTICE, InputQueue, overflowNotice, type InputLimits } from '../core/input-queue.js';
import type { DeliveryObserver } from '../metrics.js';
import { frameBytes, parseFrame, type ParsedFrame } from './frames.js';
import { turnBatch } from '../turn-batch.js';
import { textFrames, type Piece } from './wire.js';

export interface WsLimits {
  /** Bytes queued for a client that is not reading, beyond which it is cut loose. */
  maxBufferedBytes: number;
  /** Wrong passwords before the connection is closed (as on telnet). */
  maxFailedLogins: number;
  /** A connection that has not logged in by then is closed. */
  loginTimeoutMs: number;
  /** The input queue: how many frames may wait, and the pace they run at (as telnet lines). */
  input: InputLimits;
  /** Heartbeat pings a peer may leave unanswered; at the next heartbeat it is cut loose. */
  missedPongs: number;
}

export const DEFAULT_WS_LIMITS: WsLimits = {
  maxBufferedBytes: 1024 * 1024,
  maxFailedLogins: MAX_PASSWORD_TRIES,
  loginTimeoutMs: 120_000,
  input: DEFAULT_INPUT_LIMITS,
  missedPongs: 2,
};

/** Why the server cut a client loose: each counts as a lost link, so the body may be resumed. */
export type DropReason = 'backpressure' | 'heartbeat';

export interface WsConnectionDeps {
  /** The upgraded TCP socket under `ws`: a turn's frames are written to it in one go (wire.ts). */
  socket: Duplex;
  game: Game;
  log: Logger;
  limits: WsLimits;
  remoteAddress: string;
  dropped(reason: DropReason): void;
  /** The metrics' delivery time. */
  observe: DeliveryObserver;
}

type State = 'anonymous' | 'authenticating' | 'playing';

export class WsConnection implements Connection {
  readonly door = 'ws' as const;
  /** A WebSocket client can resume: its session keeps what it may have missed. */
  readonly replays = true;
  readonly remoteAddress: string;
  private readonly game: Game;
  private readonly log: Logger;
  private readonly limits: WsLimits;
  private state: State = 'anonymous';
  private session: PlayerSession | null = null;
  private closed = false;
  /** This turn's frames, written together at its end (flush). */
  private queued: Piece[][] = [];
  private queuedBytes = 0;
  /** The sequence number of the last frame written on this socket. */
  private wireSeq = 0;
  /** Set while a resume re-sends old envelopes: their delivery time is not a delivery time. */
  private replaying = false;
  private failedLogins = 0;
  private missed = 0;
  /** Frames waiting to run, at the game's pace: the same queue as the telnet door's lines. */
  private readonly input: InputQueue<ParsedFrame>;
  private loginTimer: NodeJS.Timeout | null;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: WsConnectionDeps,
  ) {
    this.game = deps.game;
    this.log = deps.log;
    this.limits = deps.limits;
    this.remoteAddress = deps.remoteAddress;
    this.input = new InputQueue<ParsedFrame>(
      {
        run: (frame) => this.runFrame(frame),
        overflowed: () => {
          this.log.warn({ addr: this.remoteAddress, queued: this.input.length }, 'input queue full: frames dropped');
          this.sendError('rate_limited', overflowNotice(this.input.length));
        },
        flooded: () => {
          this.log.warn({ addr: this.remoteAddress, player: this.session?.name }, 'input flood: disconnected');
          this.close(FLOOD_NOTICE, 'flood');
        },
      },
      this.limits.input,
    );
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('pong', () => (this.missed = 0));
    ws.on('error', (err) => this.log.debug({ addr: this.remoteAddress, err: err.message }, 'websocket error'));
    ws.on('close', (code) => this.onClose(code));
    this.loginTimer = setTimeout(() => this.close('You took too long to log in. Goodbye.'), this.limits.loginTimeoutMs);
  }

  // ---- Connection (what the core calls) ------------------------------------------------------

  /** Before login, the frames this socket numbered itself; the session's numbers continue them. */
  get framesBeforeLogin(): number {
    return this.wireSeq;
  }

  deliver(out: Outbound, seq: number): void {
    if (this.closed) return;
    // A resume's replay is not a delivery to time: those events were made long ago.
    if (this.write(out, seq) && !this.replaying) this.deps.observe('ws', out);
  }

  close(notice?: string, reason?: CloseReason): void {
    if (this.closed) return;
    // Written outside the session's numbering: the session may already belong to another
    // connection (a takeover) or to none (quit), and this frame is this socket's last.
    if (notice) this.writeOwn('message', { channel: 'system', from: null, text: notice, message: notice });
    this.flush(); // what this turn said goes before the closing frame
    this.closed = true;
    this.input.close();
    this.clearLoginTimer();
    // 1001 "going away" for a shutdown, so a client knows to come back; 1008 "policy violation"
    // for a flood; the reason says why.
    this.ws.close(reason === 'shutdown' ? 1001 : reason === 'flood' ? 1008 : 1000, reason ?? 'goodbye');
    // A peer that does not finish the closing handshake in time is dropped.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  /** Shutdown: drop the socket now, whatever state it is in. */
  terminate(): void {
    this.closed = true;
    this.input.close();
    this.queued = [];
    this.clearLoginTimer();
    this.ws.terminate();
  }

  // ---- heartbeat -----------------------------------------------------------------------------

  /** Called by the door every heartbeat interval. */
  heartbeat(): void {
    if (this.closed) return;
    if (this.missed >= this.limits.missedPongs) {
      this.cutLoose('heartbeat', { missed: this.missed });
      return;
    }
    this.missed++;
    this.ws.ping();
  }

  // ---- input -------------------------------------------------------------------------------

  private onFrame(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    this.missed = 0; // any frame proves the peer alive
    // Parsed as it arrives, queued as what it means: an oversized or broken frame waits as its
    // small error answer, not as its bytes.
    const frame = parseFrame(data, isBinary);
    this.input.push(frame, frame.ok ? frameBytes(data) : ERROR_ITEM_BYTES);
  }

  /** One frame from the input queue, in order and at the game's pace. */
  private runFrame(frame: ParsedFrame): void {
    if (this.closed) return;
    try {
      this.onMessage(frame);
    } catch (err) {
      // A frame that trips something ends this connection, never the process.
      this.log.error({ err, addr: this.remoteAddress }, 'websocket frame handling failed');
      this.close('Something went wrong on our side; please reconnect.', 'error');
    }
  }

  private onMessage(parsed: ParsedFrame): void {
    if (!parsed.ok) {
      this.sendError(parsed.code, parsed.message);
      return;
    }
    const msg = parsed.message;
    switch (msg.type) {
      case 'ping':
        this.sendOwn('pong', { id: msg.id ?? null });
        return;
      case 'command':
        if (!this.session || this.state !== 'playing') {
          this.sendError('not_logged_in', 'Log in (or register, or resume) before sending commands.');
          return;
        }
        this.game.input(this.session, msg.text);
        return;
      case 'register':
      case 'login':
        if (this.refuseAuth()) return;
        this.authenticate(msg.type, msg.name, msg.password).catch((err: unknown) => {
          this.log.error({ err, addr: this.remoteAddress }, 'websocket login failed');
          this.state = 'anonymous';
          this.sendError('internal', 'The server could not complete that login; try again.');
        });
        return;
      case 'resume':
        if (this.refuseAuth()) return;
        this.resume(msg.session_token, msg.last_sequence);
        return;
    }
  }

  /** A second login on one connection, or one while the first is being checked, is an error. */
  private refuseAuth(): boolean {
    if (this.state === 'playing') {
      this.sendError('already_logged_in', 'This connection is already logged in; open another to play someone else.');
      return true;
    }
    if (this.state === 'authenticating') {
      this.sendError('auth_in_progress', 'A login on this connection is already being checked; wait for its answer.');
      return true;
    }
    return false;
  }

  private async authenticate(kind: 'register' | 'login', name: string, password: string): Promise<void> {
    this.state = 'authenticating';
    const result: AuthResult =
      kind === 'register' ? await this.game.accounts.register(name, password) : await this.game.accounts.authenticate(name, password, this.remoteAddress);
    // The socket may have gone while the password hash ran: no body for a dead connection.
    if (this.closed) {
      this.log.debug({ addr: this.remoteAddress, player: name }, 'websocket login dropped: socket closed during the check');
      return;
    }
    if (!result.ok) {
      this.state = 'anonymous';
      this.authFailed(result.code, result.reason);
      return;
    }
    this.bind(this.game.enter(result.account, this));
    this.log.info({ addr: this.remoteAddress, player: result.account.name, kind }, 'websocket login');
  }

  private resume(token: string, lastSequence: number): void {
    this.replaying = true;
    let session: PlayerSession | undefined;
    try {
      session = this.game.resume(token, lastSequence, this);
    } finally {
      this.replaying = false;
    }
    if (!session) {
      this.authFailed('session_expired', 'That session has ended or never existed; log in again.');
      return;
    }
    this.bind(session);
  }

  private bind(session: PlayerSession): void {
    this.session = session;
    this.state = 'playing';
    this.clearLoginTimer();
  }

  /** Only wrong passwords count toward the close, as on telnet; the game throttles them too. */
  private authFailed(reason: string, message: string): void {
    if (reason === 'bad_password') this.failedLogins++;
    this.log.info({ addr: this.remoteAddress, reason, failures: this.failedLogins }, 'websocket auth failed');
    this.sendOwn('auth_error', { reason, message });
    if (this.failedLogins >= this.limits.maxFailedLogins) this.close('Too many wrong passwords. Goodbye.');
  }

  private onClose(code: number): void {
    const byUs = this.closed;
    this.closed = true;
    this.input.close();
    this.clearLoginTimer();
    this.log.info({ addr: this.remoteAddress, code, byUs, player: this.session?.name }, 'websocket closed');
    // Closed without `quit`: a lost link. The core ignores it when the session has already moved
    // on (quit, takeover, resumed elsewhere).
    if (this.session) this.game.connectionLost(this.session, this);
  }

  // ---- output ------------------------------------------------------------------------------

  private sendError(code: string, message: string): void {
    this.sendOwn('error', { code, message });
  }

  /**
   * An envelope about this connection itself (pong, error, auth_error). Once logged in it goes
   * through the session, so it is numbered and kept for a resume like every other envelope.
   */
  private sendOwn<T extends EventType>(type: T, data: EventDataOf<T>): void {
    if (this.session && this.state === 'playing') {
      this.session.send(new Outbound(type, null, this.session.playerId, data));
      return;
    }
    this.writeOwn(type, data);
  }

  /** Numbered by this socket alone: the frames before login, and the last one before a close. */
  private writeOwn<T extends EventType>(type: T, data: EventDataOf<T>): void {
    const wire = this.wireSeq + 1;
    this.write(new Outbound(type, null, this.session?.playerId ?? null, data), wire);
  }

  /** Returns whether the frame was queued for the socket. */
  private write(out: Outbound, wire: number): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    // A client that does not read fills the socket's queue; past the bound it is cut loose rather
    // than grow our memory. What it missed stays in the session's replay buffer for a resume.
    // This turn's own frames (a resume's replay, say) get a far larger bound of their own.
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes || this.queuedBytes > this.limits.maxBufferedBytes * 8) {
      this.cutLoose('backpressure', { queued: this.ws.bufferedAmount + this.queuedBytes });
      return false;
    }
    // All the frames of this event-loop turn leave in one write (flush), not one each.
    if (this.queued.length === 0) scheduleFlush(this);
    const [head, tail] = out.jsonParts();
    this.queued.push([head, wire, tail]);
    this.queuedBytes += head.bytes + tail.bytes;
    this.wireSeq = wire;
    return true;
  }

  /** End of the turn: this turn's frames go to the kernel together. */
  flush(): void {
    if (this.queued.length === 0) return;
    const payloads = this.queued;
    this.queued = [];
    this.queuedBytes = 0;
    // Closing (the peer's close frame came in this turn): frames after it would not be read.
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.deps.socket.write(textFrames(payloads));
  }

  /** Something broke while writing: log it and drop the connection (a lost link). */
  fail(err: unknown): void {
    this.log.error({ err, addr: this.remoteAddress }, 'websocket output failed');
    this.terminate();
  }

  /** Terminated at once, no closing handshake; the close event makes it a lost link. */
  private cutLoose(reason: DropReason, fields: Record<string, unknown>): void {
    if (this.closed) return;
    this.closed = true;
    this.input.close();
    this.queued = [];
    this.log.warn({ addr: this.remoteAddress, player: this.session?.name, reason, ...fields }, 'websocket client cut loose');
    this.deps.dropped(reason);
    this.ws.terminate();
  }

  private clearLoginTimer(): void {
    if (this.loginTimer) clearTimeout(this.loginTimer);
    this.loginTimer = null;
  }
}

/** What a refused frame weighs in the input queue: its answer, not its bytes. */
const ERROR_ITEM_BYTES = 64;

// Connections with frames queued this turn, flushed together at its end.
const scheduleFlush = turnBatch<WsConnection>(
  (conn) => conn.flush(),
  (conn, err) => conn.fail(err),
);
