// The game as the TUI knows it, and the one pure reducer that changes it: envelopes from the
// server, connection changes, keys. Rendering reads it; nothing here touches a socket or a screen,
// so it is tested by feeding it recorded envelopes.
import type { Envelope, EventDataOf, Occupant, RoomView } from '../../shared/protocol.js';
import type { ConnectionStatus } from './client.js';
import { emptyEditor, type EditorState } from './editor.js';
import { linesOf, type TextLine } from './format.js';
import { authFailed, initialLogin, type LoginState } from './login.js';
import { scrollDown, scrollUp, type Line } from './viewport.js';

/** The scrollback keeps at least this many lines. */
export const SCROLLBACK = 10_000;
// Trimmed in steps, so a busy room does not copy the whole scrollback for every line.
const TRIM_SLACK = 500;

export type Phase = 'login' | 'game';
export type Player = EventDataOf<'auth_ok'>['player'];

export interface GameState {
  url: string;
  phase: Phase;
  login: LoginState;
  /** The line being typed on the login screen (no history: passwords go through it). */
  loginInput: EditorState;
  /** The game's input line. */
  input: EditorState;
  self: Player | null;
  room: RoomView | null;
  occupants: Occupant[];
  lines: Line[];
  nextLineId: number;
  /** Id of the line at the bottom of the view while scrolled back; null follows the newest line. */
  anchor: number | null;
  /** nextLineId when the player scrolled back: lines from it on arrived since (the marker's N). */
  scrollMark: number | null;
  connection: ConnectionStatus;
  rttMs: number | null;
}

export interface Received {
  env: Envelope;
  /** auth_error's machine-readable code, as the client read it from the frame. */
  authCode?: string | null;
}

export type Action =
  | { type: 'envelope'; env: Envelope; authCode?: string | null }
  /** Several envelopes that arrived together: applied in order, the scrollback copied once. */
  | { type: 'envelopes'; list: readonly Received[] }
  | { type: 'connection'; status: ConnectionStatus }
  | { type: 'rtt'; ms: number }
  | { type: 'lines'; lines: TextLine[] }
  | { type: 'clear' }
  | { type: 'scroll'; to: 'up' | 'down' | 'bottom'; width: number; height: number }
  | { type: 'login'; login: LoginState }
  | { type: 'loginInput'; input: EditorState }
  | { type: 'input'; input: EditorState };

export function initialState(opts: { url: string; name?: string; password?: string }): GameState {
  return {
    url: opts.url,
    phase: 'login',
    login: initialLogin(opts.name, opts.password).state,
    loginInput: emptyEditor,
    input: emptyEditor,
    self: null,
    room: null,
    occupants: [],
    lines: [],
    nextLineId: 1,
    anchor: null,
    scrollMark: null,
    connection: { state: 'connecting', attempt: 0 },
    rttMs: null,
  };
}

/** Lines that arrived since the player scrolled back (0 when following the newest line). */
export function newSinceScroll(state: GameState): number {
  return state.scrollMark === null ? 0 : state.nextLineId - state.scrollMark;
}

export function appendLines(state: GameState, add: readonly TextLine[]): GameState {
  if (add.length === 0) return state;
  let lines = state.lines.concat(add.map((l, i) => ({ id: state.nextLineId + i, kind: l.kind, text: l.text })));
  if (lines.length > SCROLLBACK + TRIM_SLACK) lines = lines.slice(lines.length - SCROLLBACK);
  let anchor = state.anchor;
  if (anchor !== null && lines.length > 0 && anchor < lines[0]!.id) anchor = lines[0]!.id;
  return { ...state, lines, nextLineId: state.nextLineId + add.length, anchor };
}

function upsert(occupants: Occupant[], o: Occupant): Occupant[] {
  const i = occupants.findIndex((x) => x.id === o.id);
  if (i < 0) return [...occupants, o];
  const next = occupants.slice();
  next[i] = o;
  return next;
}

/** Whether an event about a room concerns the room the player is in. */
function here(state: GameState, roomId: string | null): boolean {
  return state.room !== null && (roomId === null || roomId === state.room.id);
}

function onEnvelope(state: GameState, env: Envelope, authCode: string | null): GameState {
  const r = applyEnvelope(state, env, authCode);
  return appendLines(r.state, r.lines);
}

function applyEnvelope(state: GameState, env: Envelope, authCode: string | null): { state: GameState; lines: TextLine[] } {
  const selfId = state.self?.id ?? null;
  let next = state;
  switch (env.event_type) {
    case 'auth_ok':
      next = { ...state, phase: 'game', self: env.data.player };
      break;
    case 'auth_error': {
      // On the login screen the dialogue answers it. In the game it answers the automatic login
      // after a reconnect: the account changed (a new password, a ban), so back to the login
      // screen, which says why and asks again.
      const login = authFailed(state.login, { ...env.data, code: authCode });
      if (state.phase === 'login') return { state: { ...state, login }, lines: [] };
      return { state: { ...state, phase: 'login', login, self: null, room: null, occupants: [] }, lines: linesOf(env, selfId) };
    }
    case 'game_state':
      next = { ...state, phase: 'game', self: env.data.player, room: env.data.room, occupants: env.data.occupants };
      break;
    case 'room_update':
      next = { ...state, room: env.data.room, occupants: env.data.occupants };
      break;
    case 'room_occupants':
      if (state.room?.id === env.data.room_id) next = { ...state, occupants: env.data.occupants };
      break;
    case 'player_entered':
    case 'player_entered_game':
      if (here(state, env.room_id)) {
        const known = state.occupants.find((o) => o.id === env.data.player_id);
        const status = known?.status === 'away' || known?.status === 'busy' ? known.status : 'online';
        next = { ...state, occupants: upsert(state.occupants, { id: env.data.player_id, name: env.data.player_name, status }) };
      }
      break;
    case 'player_left':
    case 'player_left_game':
      if (here(state, env.room_id) && env.data.player_id !== selfId) {
        next = { ...state, occupants: state.occupants.filter((o) => o.id !== env.data.player_id) };
      }
      break;
    case 'presence':
      if (here(state, env.room_id)) {
        next = { ...state, occupants: upsert(state.occupants, { id: env.data.player_id, name: env.data.player_name, status: env.data.status }) };
      }
      break;
    default:
      break;
  }
  return { state: next, lines: linesOf(env, next.self?.id ?? selfId) };
}

/** What the player can do once the server has ended the session for good. */
export const REJOIN_HINT = 'Press Enter (or type /reconnect) to log in again, or Ctrl+C to leave.';

function describeStatus(prev: ConnectionStatus, status: ConnectionStatus): TextLine[] {
  if (status.state === 'offline') {
    if (prev.state === 'offline' && prev.reason === status.reason) return [];
    // The server's goodbye is already on the screen: said once, then what to do next.
    const lines: TextLine[] = status.notice ? [] : [{ kind: 'info', text: `Disconnected: ${status.reason}` }];
    if (status.rejoin) lines.push({ kind: 'info', text: REJOIN_HINT });
    return lines;
  }
  const line = describeLink(prev, status);
  return line ? [line] : [];
}

function describeLink(prev: ConnectionStatus, status: Exclude<ConnectionStatus, { state: 'offline' }>): TextLine | null {
  switch (status.state) {
    case 'reconnecting':
      // One line when the link goes, not one per retry: the status line counts the seconds.
      return prev.state === 'connected' ? { kind: 'info', text: `Connection lost: ${status.reason.replace(/\.$/, '')}. Reconnecting...` } : null;
    case 'connected':
      return prev.state === 'reconnecting' || (prev.state === 'connecting' && prev.attempt > 0)
        ? { kind: 'info', text: 'Reconnected.' }
        : null;
    case 'connecting':
      return null;
  }
}

export function reduce(state: GameState, action: Action): GameState {
  switch (action.type) {
    case 'envelope':
      return onEnvelope(state, action.env, action.authCode ?? null);
    case 'envelopes': {
      let next = state;
      const lines: TextLine[] = [];
      for (const { env, authCode } of action.list) {
        const r = applyEnvelope(next, env, authCode ?? null);
        next = r.state;
        for (const line of r.lines) lines.push(line);
      }
      return appendLines(next, lines);
    }
    case 'connection': {
      const lines = state.phase === 'game' ? describeStatus(state.connection, action.status) : [];
      let next: GameState = { ...state, connection: action.status, rttMs: action.status.state === 'connected' ? state.rttMs : null };
      // The session is over: the panel no longer shows a room the player is in.
      if (action.status.state === 'offline' && state.phase === 'game') next = { ...next, room: null, occupants: [] };
      return appendLines(next, lines);
    }
    case 'rtt':
      return { ...state, rttMs: action.ms };
    case 'lines':
      return appendLines(state, action.lines);
    case 'clear':
      return { ...state, lines: [], anchor: null, scrollMark: null };
    case 'scroll': {
      const { width, height } = action;
      const anchor =
        action.to === 'bottom'
          ? null
          : action.to === 'up'
            ? scrollUp(state.lines, state.anchor, width, height)
            : scrollDown(state.lines, state.anchor, width, height);
      if (anchor === state.anchor) return state;
      const scrollMark = anchor === null ? null : (state.scrollMark ?? state.nextLineId);
      return { ...state, anchor, scrollMark };
    }
    case 'login':
      return { ...state, login: action.login };
    case 'loginInput':
      return { ...state, loginInput: action.input };
    case 'input':
      return { ...state, input: action.input };
  }
}
