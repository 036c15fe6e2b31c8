// The input line as a pure state machine: editing, cursor movement and command history. The view
// only draws it; the key handler feeds it events. Positions count code points, not UTF-16 units,
// so the cursor never lands inside an emoji.

import { utf8Length, withinLineLimit } from '../../shared/protocol.js';

/**
 * What the line holds at most, in code points: four times what may be sent, so that a paste over
 * the limit is kept whole enough to be seen, and refused at Enter (withinLineLimit), not cut.
 */
export const MAX_INPUT = 4 * 4096;
export const MAX_HISTORY = 500;

export interface EditorState {
  text: string;
  /** Cursor position in code points, 0..length. */
  cursor: number;
  /** Submitted lines, oldest first. */
  history: readonly string[];
  /** Which history entry is shown while browsing with up/down; null when editing a fresh line. */
  historyIndex: number | null;
  /** The line being typed before browsing history started, given back by down at the end. */
  draft: string;
}

export type EditEvent =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'deleteForward' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'killBefore' }
  | { type: 'killWordBefore' }
  | { type: 'historyPrev' }
  | { type: 'historyNext' }
  | { type: 'submit' };

export interface EditResult {
  state: EditorState;
  /** Set when the event was Enter: the line to act on (the editor is already cleared). */
  submitted?: string;
  /** Set when Enter met a line over the protocol's limit: its bytes. The line stays as it was. */
  refused?: number;
}

export const emptyEditor: EditorState = { text: '', cursor: 0, history: [], historyIndex: null, draft: '' };

// Control characters never enter the line (a paste with tabs or escapes stays one clean line).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function chars(s: string): string[] {
  return Array.from(s);
}

function withText(state: EditorState, list: string[], cursor: number): EditorState {
  return { ...state, text: list.join(''), cursor: Math.max(0, Math.min(cursor, list.length)), historyIndex: null };
}

export function edit(state: EditorState, ev: EditEvent, opts: { history?: boolean } = {}): EditResult {
  const list = chars(state.text);
  switch (ev.type) {
    case 'insert': {
      const room = MAX_INPUT - list.length;
      const add = chars(ev.text.replace(CONTROL, '')).slice(0, Math.max(0, room));
      if (add.length === 0) return { state };
      list.splice(state.cursor, 0, ...add);
      return { state: withText(state, list, state.cursor + add.length) };
    }
    case 'backspace':
      if (state.cursor === 0) return { state };
      list.splice(state.cursor - 1, 1);
      return { state: withText(state, list, state.cursor - 1) };
    case 'deleteForward':
      if (state.cursor >= list.length) return { state };
      list.splice(state.cursor, 1);
      return { state: withText(state, list, state.cursor) };
    case 'left':
      return { state: { ...state, cursor: Math.max(0, state.cursor - 1) } };
    case 'right':
      return { state: { ...state, cursor: Math.min(list.length, state.cursor + 1) } };
    case 'home':
      return { state: { ...state, cursor: 0 } };
    case 'end':
      return { state: { ...state, cursor: list.length } };
    case 'killBefore':
      return { state: withText(state, list.slice(state.cursor), 0) };
    case 'killWordBefore': {
      let i = state.cursor;
      while (i > 0 && list[i - 1] === ' ') i--;
      while (i > 0 && list[i - 1] !== ' ') i--;
      list.splice(i, state.cursor - i);
      return { state: withText(state, list, i) };
    }
    case 'historyPrev': {
      const { history } = state;
      if (history.length === 0) return { state };
      const index = state.historyIndex === null ? history.length - 1 : Math.max(0, state.historyIndex - 1);
      const text = history[index]!;
      const draft = state.historyIndex === null ? state.text : state.draft;
      return { state: { ...state, text, cursor: chars(text).length, historyIndex: index, draft } };
    }
    case 'historyNext': {
      if (state.historyIndex === null) return { state };
      const index = state.historyIndex + 1;
      if (index >= state.history.length) {
        return { state: { ...state, text: state.draft, cursor: chars(state.draft).length, historyIndex: null, draft: '' } };
      }
      const text = state.history[index]!;
      return { state: { ...state, text, cursor: chars(text).length, historyIndex: index } };
    }
    case 'submit': {
      const line = state.text;
      if (!withinLineLimit(line)) return { state, refused: utf8Length(line) };
      let history = state.history;
      if (opts.history !== false && line.trim() !== '' && history[history.length - 1] !== line) {
        history = [...history, line];
        if (history.length > MAX_HISTORY) history = history.slice(history.length - MAX_HISTORY);
      }
      return { state: { text: '', cursor: 0, history, historyIndex: null, draft: '' }, submitted: line };
    }
  }
}
