// The WebSocket client of the TUI and plain mode: one connection at a time, every server frame
// parsed with the Envelope schema, every frame sent checked against ClientMessage. A dropped link
// is retried with exponential backoff and `resume` (session token + last sequence number seen),
// falling back to a fresh login with the remembered credentials when the server no longer knows
// the session (it restarted, or the resume window passed). `ping` every few seconds measures the
// round trip and finds a link that died without a close.
import { WebSocket, type RawData } from 'ws';
import { cleanStrings } from '../../shared/clean-text.js';
import { ClientMessage, Envelope } from '../../shared/protocol.js';
import { authErrorCode } from './login.js';

export type ConnectionStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'connected' }
  | { state: 'reconnecting'; retryAt: number; attempt: number; reason: string }
  | {
      state: 'offline';
      /** Why, in a few words (the status line). */
      reason: string;
      /** The server's own goodbye, already shown as a line: not to be said twice. */
      notice?: string | null;
      /** Whether logging in again makes sense (reconnect()): not after a ban or a quit. */
      rejoin?: boolean;
    };

export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export interface ClientOptions {
  url: string;
  backoff?: Partial<Backoff>;
  pingIntervalMs?: number;
  /** A ping unanswered this long means the link is dead: it is dropped and retried. */
  pingTimeoutMs?: number;
  /** The largest frame accepted from the server. */
  maxFrameBytes?: number;
}

export interface Credentials {
  kind: 'login' | 'register';
  name: string;
  password: string;
}

export interface ClientListener {
  /** `authCode`: the `code` an auth_error carried, when the door sends one (outside the schema). */
  envelope?(env: Envelope, authCode: string | null): void;
  status?(status: ConnectionStatus): void;
  rtt?(ms: number): void;
  /** A frame that is not JSON or not an envelope of the contract: ignored, reported once. */
  badFrame?(why: string): void;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 15_000, factor: 2 };

/**
 * The server closes with 1001 and reason `shutdown` when it stops (it will restart: come back),
 * and with 1000 and a reason of `kicked`, `banned`, `takeover` or `quit` otherwise (two clients
 * reconnecting would steal the character back and forth). Older servers said goodbye the same
 * way for every reason; for them the notice's wording decides.
 */
const COMING_BACK = /shutting down|restart/i;
const FINAL_REASONS = new Set(['quit', 'kicked', 'banned', 'takeover']);
/** The status line's words for a final close. */
const FINAL_WHY: Record<string, string> = {
  kicked: 'removed by an administrator',
  banned: 'banned from the game',
  takeover: 'your character logged in from elsewhere',
};

function comesBack(code: number, reason: string, notice: string | null): boolean {
  if (code === 1001 || reason === 'shutdown') return true;
  if (FINAL_REASONS.has(reason)) return false;
  return notice === null || COMING_BACK.test(notice);
}

type InFlight = 'auth' | 'resume' | 'relogin' | null;

export class MythosClient {
  readonly url: string;
  private readonly backoff: Backoff;
  private readonly pingIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly maxFrameBytes: number;
  private readonly listeners = new Set<ClientListener>();

  private ws: WebSocket | null = null;
  private open = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private readonly pings = new Map<number, number>();
  private nextPingId = 1;
  private stopped = false;
  private quitting = false;
  private lastError: string | null = null;
  private current: ConnectionStatus = { state: 'connecting', attempt: 0 };

  /** Asked for by the player, sent once the socket is open. */
  private pendingAuth: Credentials | null = null;
  /** What the last auth-like frame was, to know what an auth_error answers. */
  private inFlight: InFlight = null;
  /** Known good after auth_ok: used to log in again when a resume is refused. */
  private credentials: Credentials | null = null;
  private token: string | null = null;
  private lastSequence = 0;
  /** The text of the last frame, when it was a system notice (what a close is explained by). */
  private lastNotice: string | null = null;
  authenticated = false;

  constructor(opts: ClientOptions) {
    this.url = opts.url;
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.pingIntervalMs = opts.pingIntervalMs ?? 5_000;
    this.pingTimeoutMs = opts.pingTimeoutMs ?? 20_000;
    this.maxFrameBytes = opts.maxFrameBytes ?? 4 * 1024 * 1024;
  }

  on(listener: ClientListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  get isOpen(): boolean {
    return this.open;
  }

  get sequence(): number {
    return this.lastSequence;
  }

  start(): void {
    if (this.ws || this.stopped) return;
    this.connect();
  }

  /** Log in or register; sent now if the socket is open, else as soon as it opens. */
  authenticate(creds: Credentials): void {
    this.pendingAuth = creds;
    if (this.open && this.inFlight === null) this.sendAuth();
  }

  /** A line the player typed. False when it could not be sent (not connected, not in game). */
  command(text: string): boolean {
    if (!this.open || !this.authenticated) return false;
    return this.send({ type: 'command', text });
  }

  /** Sends `quit` and waits (bounded) for the server to close; never reconnects afterwards. */
  async quit(timeoutMs = 2_000): Promise<void> {
    this.quitting = true;
    this.clearRetry();
    const ws = this.ws;
    if (!ws || !this.open || !this.authenticated) {
      this.close();
      return;
    }
    this.send({ type: 'command', text: 'quit' });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.close();
  }

  /**
   * After a close that was final (a kick, a takeover, too many wrong passwords): connect again.
   * With the credentials of the last login it logs straight back in; without, the login starts over.
   */
  reconnect(): void {
    if (!this.stopped || this.quitting || this.ws) return;
    this.stopped = false;
    this.attempt = 0;
    this.lastError = null;
    this.lastNotice = null;
    this.connect();
  }

  /** Drops the link as a network failure would: the usual backoff and `resume` follow. */
  reconnectNow(): void {
    this.lastError = 'the link was dropped on purpose';
    this.ws?.terminate();
  }

  /** Stops everything now: no reconnect, no timers. */
  close(): void {
    this.stopped = true;
    this.clearRetry();
    this.stopPing();
    const ws = this.ws;
    this.ws = null;
    this.open = false;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => {}); // a late error from a dying socket must not become an uncaught one
      ws.terminate();
    }
    this.setStatus({ state: 'offline', reason: this.quitting ? 'You left the game.' : 'Closed.', rejoin: false });
  }

  private emit(fn: (l: ClientListener) => void): void {
    for (const l of this.listeners) fn(l);
  }

  private setStatus(status: ConnectionStatus): void {
    this.current = status;
    this.emit((l) => l.status?.(status));
  }

  private send(msg: ClientMessage): boolean {
    const parsed = ClientMessage.safeParse(msg);
    if (!parsed.success || !this.ws || !this.open) return false;
    this.ws.send(JSON.stringify(parsed.data));
    return true;
  }

  private connect(): void {
    this.setStatus({ state: 'connecting', attempt: this.attempt });
    const ws = new WebSocket(this.url, { maxPayload: this.maxFrameBytes, handshakeTimeout: 10_000 });
    this.ws = ws;
    let gotFrame = false;
    ws.on('open', () => {
      if (this.ws !== ws) return;
      this.open = true;
      this.lastError = null;
      this.lastNotice = null;
      this.setStatus({ state: 'connected' });
      if (this.token) {
        this.inFlight = 'resume';
        this.send({ type: 'resume', session_token: this.token, last_sequence: this.lastSequence });
      } else if (this.pendingAuth) {
        this.sendAuth();
      } else if (this.credentials) {
        this.relogin();
      }
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (this.ws !== ws) return;
      if (!gotFrame) {
        // The server talks to us: the link works, so the next drop starts the backoff afresh.
        gotFrame = true;
        this.attempt = 0;
      }
      this.receive(isBinary ? null : rawText(data));
    });
    ws.on('error', (err: NodeJS.ErrnoException) => {
      this.lastError = describeError(err, this.url);
    });
    ws.on('close', (code: number, reasonBuf: Buffer) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.open = false;
      this.inFlight = null;
      this.stopPing();
      this.pings.clear();
      const reason = reasonBuf.toString('utf8');
      if (this.quitting || this.stopped) {
        this.setStatus({ state: 'offline', reason: 'You left the game.', rejoin: false });
        return;
      }
      const notice = this.lastNotice;
      if (this.authenticated && (code === 1000 || code === 1001) && !comesBack(code, reason, notice)) {
        // Kicked, banned or taken over: not a lost link. The session is over; coming back is a
        // new login, and only when the player asks (reconnect).
        this.stopped = true;
        this.authenticated = false;
        this.token = null;
        this.setStatus({ state: 'offline', reason: FINAL_WHY[reason] ?? notice ?? closeText(code), notice, rejoin: reason !== 'banned' });
        return;
      }
      if (!this.authenticated && code === 1000 && notice !== null) {
        // The server said goodbye before any login (too many wrong passwords, too slow to log
        // in): trying again by itself would only earn the same answer.
        this.stopped = true;
        this.setStatus({ state: 'offline', reason: notice, notice, rejoin: true });
        return;
      }
      this.scheduleReconnect(this.lastError ?? notice ?? closeText(code));
    });
  }

  private scheduleReconnect(reason: string): void {
    this.clearRetry();
    this.attempt++;
    const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * this.backoff.factor ** (this.attempt - 1));
    // Jitter, so that a restarted server is not hit by every client in the same millisecond.
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.setStatus({ state: 'reconnecting', retryAt: Date.now() + delay, attempt: this.attempt, reason });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private sendAuth(): void {
    const creds = this.pendingAuth;
    if (!creds) return;
    this.inFlight = 'auth';
    this.send({ type: creds.kind, name: creds.name, password: creds.password });
  }

  private relogin(): void {
    const creds = this.credentials;
    if (!creds) return;
    this.inFlight = 'relogin';
    this.send({ type: 'login', name: creds.name, password: creds.password });
  }

  private receive(text: string | null): void {
    if (text === null) return this.emit((l) => l.badFrame?.('a binary frame'));
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.emit((l) => l.badFrame?.('a frame that is not JSON'));
    }
    const parsed = Envelope.safeParse(raw);
    if (!parsed.success) {
      const type = typeof raw === 'object' && raw !== null ? (raw as { event_type?: unknown }).event_type : undefined;
      return this.emit((l) => l.badFrame?.(`an event this client does not understand (${String(type)})`));
    }
    // Defensive whatever the server: no text in a frame can drive this terminal, only be read.
    const env = cleanStrings(parsed.data);
    this.lastSequence = env.sequence_number;
    this.lastNotice = env.event_type === 'message' && env.data.channel === 'system' && env.data.from === null ? env.data.text : null;
    let authCode: string | null = null;
    switch (env.event_type) {
      case 'auth_ok':
        this.authenticated = true;
        this.token = env.data.session_token;
        if (this.pendingAuth) this.credentials = { ...this.pendingAuth, kind: 'login' };
        this.pendingAuth = null;
        this.inFlight = null;
        this.startPing();
        break;
      case 'auth_error': {
        authCode = rawCode(raw, env.data);
        const answered = this.inFlight;
        this.inFlight = null;
        if (answered === 'resume') {
          // The server no longer knows the session: start a new one with the same character.
          this.token = null;
          this.authenticated = false;
          if (this.credentials) {
            this.relogin();
            return;
          }
        } else if (answered === 'relogin') {
          // The account changed under us (banned, a new password): the link stays up and the
          // player is back at the login, told why (the envelope below).
          this.authenticated = false;
          this.credentials = null;
          this.token = null;
          this.stopPing();
        } else {
          this.pendingAuth = null;
        }
        break;
      }
      case 'pong': {
        const sent = typeof env.data.id === 'number' ? this.pings.get(env.data.id) : undefined;
        if (sent !== undefined) {
          this.pings.delete(env.data.id as number);
          const ms = performance.now() - sent;
          this.emit((l) => l.rtt?.(ms));
        }
        return;
      }
      default:
        if (this.inFlight === 'resume') {
          // Anything but an auth_error after `resume` means the server took it.
          this.inFlight = null;
          this.authenticated = true;
          this.startPing();
        }
    }
    this.emit((l) => l.envelope?.(env, authCode));
  }

  private startPing(): void {
    this.stopPing();
    this.ping();
    this.pingTimer = setInterval(() => this.ping(), this.pingIntervalMs);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private ping(): void {
    const now = performance.now();
    for (const sent of this.pings.values()) {
      if (now - sent > this.pingTimeoutMs) {
        // No answer for too long: the link is dead even if TCP has not noticed yet.
        this.lastError = 'the server stopped answering';
        this.ws?.terminate();
        return;
      }
    }
    const id = this.nextPingId++;
    if (this.pings.size >= 16) this.pings.delete(this.pings.keys().next().value!);
    this.pings.set(id, now);
    this.send({ type: 'ping', id });
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** auth_error's machine-readable code: a `code` field outside the schema if sent, else `reason`. */
function rawCode(raw: unknown, data: { reason: string; message: string }): string | null {
  const code = (raw as { data?: { code?: unknown } }).data?.code;
  return authErrorCode({ ...data, code: typeof code === 'string' ? code : null });
}

function describeError(err: NodeJS.ErrnoException, url: string): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `nothing is listening at ${url} (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot find the host of ${url}`;
    case 'ETIMEDOUT':
      return `${url} did not answer in time`;
    case 'ECONNRESET':
      return 'the connection was reset';
    default:
      return err.message || 'the connection failed';
  }
}

function closeText(code: number): string {
  if (code === 1006) return 'the connection dropped';
  if (code === 1001) return 'the server is going away';
  if (code === 1000) return 'the server closed the connection';
  return `the connection closed (code ${code})`;
}
