// Wires the client to the store and turns the player's keys into actions: login answers, game
// commands, local `/` commands, scrolling and quitting. Shared by the Ink app; everything it does
// is visible in the store, so it is tested without rendering.
import type { ClientListener, Credentials } from './client.js';
import { edit, type EditEvent } from './editor.js';
import type { TextLine } from './format.js';
import type { KeyAction } from './keys.js';
import { initialLogin, submitLogin } from './login.js';
import { MAX_LINE_BYTES } from '../../shared/protocol.js';
import type { Action, Received } from './state.js';
import type { GameStore } from './store.js';

/** What the controller needs from a connection (MythosClient, or a test double). */
export interface GameConnection {
  start(): void;
  authenticate(creds: Credentials): void;
  command(text: string): boolean;
  quit(): Promise<void>;
  /** After a final close (a kick, a takeover, too many wrong passwords): connect and log in again. */
  reconnect(): void;
  close(): void;
  on(listener: ClientListener): () => void;
}

export const HELP_LINES: TextLine[] = [
  { kind: 'info', text: 'Type a command and press Enter: look, north (n), say hello, who, help.' },
  { kind: 'info', text: 'Local commands: /help this help, /clear empty the screen, /reconnect log in again after a kick, /quit leave the game.' },
  { kind: 'info', text: 'Keys: Up/Down history, PgUp/PgDn scroll back, Esc back to the bottom, Ctrl+U clear the line, Ctrl+C quit.' },
];

export interface ViewSize {
  /** Columns of the scrolling terminal. */
  width: number;
  /** Rows of the scrolling terminal. */
  height: number;
}

export class TuiController {
  private unsubscribe: (() => void) | null = null;
  private quitting: Promise<void> | null = null;
  private badFrameShown = false;
  /** Envelopes of the current tick, applied together (a burst costs one render, one copy). */
  private pending: Received[] = [];

  constructor(
    readonly store: GameStore,
    readonly connection: GameConnection,
    private readonly onExit: () => void = () => {},
  ) {}

  /** Connects, and logs in at once when --name and MYTHOS_PASSWORD answered the questions. */
  start(): void {
    this.unsubscribe = this.connection.on({
      envelope: (env, authCode) => {
        if (this.pending.length === 0) queueMicrotask(() => this.flush());
        this.pending.push({ env, authCode });
      },
      status: (status) => this.dispatch({ type: 'connection', status }),
      rtt: (ms) => this.dispatch({ type: 'rtt', ms }),
      badFrame: (why) => {
        if (this.badFrameShown) return;
        this.badFrameShown = true;
        this.dispatch({ type: 'lines', lines: [{ kind: 'info', text: `(The server sent ${why}; it was ignored.)` }] });
      },
    });
    this.connection.start();
    const { login } = this.store.getState();
    if (login.step === 'waiting') this.connection.authenticate(this.request());
  }

  /** Applies the envelopes received so far, in order, before anything else changes the state. */
  flush(): void {
    if (this.pending.length === 0) return;
    const list = this.pending;
    this.pending = [];
    this.store.dispatch({ type: 'envelopes', list });
  }

  private dispatch(action: Action): void {
    this.flush();
    this.store.dispatch(action);
  }

  private request(): Credentials {
    const { login } = this.store.getState();
    return { kind: login.creating ? 'register' : 'login', name: login.name, password: login.password };
  }

  /** Key actions from the keyboard, applied one after another to the current state. */
  keys(actions: readonly KeyAction[], view: ViewSize): void {
    this.flush();
    for (const action of actions) this.key(action, view);
  }

  private key(action: KeyAction, view: ViewSize): void {
    switch (action.type) {
      case 'quit':
        void this.quit();
        return;
      case 'pageUp':
      case 'pageDown':
      case 'scrollBottom': {
        if (this.store.getState().phase !== 'game') return;
        const to = action.type === 'pageUp' ? 'up' : action.type === 'pageDown' ? 'down' : 'bottom';
        // While scrolled back one row of the terminal holds the "new lines" marker.
        this.dispatch({ type: 'scroll', to, width: view.width, height: Math.max(1, view.height - 1) });
        return;
      }
      default:
        this.editKey(action);
    }
  }

  private editKey(ev: EditEvent): void {
    const state = this.store.getState();
    if (state.phase === 'login') {
      const r = edit(state.loginInput, ev, { history: false });
      this.dispatch({ type: 'loginInput', input: r.state });
      if (r.refused !== undefined) this.dispatch({ type: 'login', login: { ...state.login, error: tooLong(r.refused) } });
      if (r.submitted !== undefined) this.submitLogin(r.submitted);
      return;
    }
    const r = edit(state.input, ev);
    this.dispatch({ type: 'input', input: r.state });
    if (r.refused !== undefined) this.dispatch({ type: 'lines', lines: [{ kind: 'error', text: tooLong(r.refused) }] });
    if (r.submitted !== undefined) this.submit(r.submitted);
  }

  /** The server ended the session for good, and coming back makes sense (not a ban, not a quit). */
  private canRejoin(): boolean {
    const { connection } = this.store.getState();
    return connection.state === 'offline' && connection.rejoin === true;
  }

  private rejoin(): void {
    if (this.store.getState().phase === 'login') this.dispatch({ type: 'login', login: initialLogin().state });
    else this.dispatch({ type: 'lines', lines: [{ kind: 'info', text: 'Logging in again...' }] });
    this.connection.reconnect();
  }

  submitLogin(text: string): void {
    // Sent away before any login (too many wrong passwords): Enter starts the login over.
    if (this.canRejoin()) return this.rejoin();
    const { login } = this.store.getState();
    const r = submitLogin(login, text);
    this.dispatch({ type: 'login', login: r.state });
    if (r.auth) this.connection.authenticate(r.auth);
  }

  /** A line entered in the game: a local `/` command or a command for the server. */
  submit(line: string): void {
    const text = line.trim();
    if (this.canRejoin() && (text === '' || text.toLowerCase() === '/reconnect')) return this.rejoin();
    if (text === '') return;
    if (text.startsWith('/')) return this.local(text);
    if (this.canRejoin()) {
      this.dispatch({ type: 'lines', lines: [{ kind: 'error', text: 'Not in the game: that was not sent. Press Enter on an empty line (or /reconnect) to log in again.' }] });
      return;
    }
    this.dispatch({ type: 'scroll', to: 'bottom', width: 1, height: 1 });
    this.dispatch({ type: 'lines', lines: [{ kind: 'echo', text: `> ${text}` }] });
    if (!this.connection.command(text)) {
      this.dispatch({ type: 'lines', lines: [{ kind: 'error', text: 'Not connected: that was not sent. Wait for the reconnect and try again.' }] });
    }
  }

  private local(text: string): void {
    const word = text.slice(1).split(/\s+/)[0]!.toLowerCase();
    switch (word) {
      case 'quit':
      case 'q':
        void this.quit();
        return;
      case 'clear':
        this.dispatch({ type: 'clear' });
        return;
      case 'reconnect': {
        const { connection } = this.store.getState();
        const why = connection.state === 'offline' ? `Cannot log in again: ${connection.reason}` : connection.state === 'connected' ? 'You are connected.' : 'Already reconnecting: the status line counts down.';
        this.dispatch({ type: 'lines', lines: [{ kind: 'info', text: why }] });
        return;
      }
      case 'help':
      case '?':
        this.dispatch({ type: 'lines', lines: HELP_LINES });
        return;
      default:
        this.dispatch({ type: 'lines', lines: [{ kind: 'error', text: `There is no local command ${text.split(/\s+/)[0]}. Local commands: /help, /clear, /reconnect, /quit.` }] });
    }
  }

  /** /quit, Ctrl+C, Ctrl+D: say `quit` to the server, wait for it (bounded), then leave. */
  quit(): Promise<void> {
    this.quitting ??= this.connection.quit().finally(() => {
      this.stop();
      this.onExit();
    });
    return this.quitting;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.connection.close();
  }
}

/** What the input line says of a line over the limit, which it keeps for the player to shorten. */
export function tooLong(bytes: number): string {
  return `That line is ${bytes} bytes; a line is at most ${MAX_LINE_BYTES}. It was not sent: shorten it (Ctrl+U clears it).`;
}
