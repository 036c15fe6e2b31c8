import { describe, expect, it } from 'vitest';
import { edit, emptyEditor, MAX_HISTORY, MAX_INPUT, type EditEvent, type EditorState } from '../../../cli/tui/editor.js';

function run(events: EditEvent[], start: EditorState = emptyEditor): { state: EditorState; submitted: string[] } {
  let state = start;
  const submitted: string[] = [];
  for (const ev of events) {
    const r = edit(state, ev);
    state = r.state;
    if (r.submitted !== undefined) submitted.push(r.submitted);
  }
  return { state, submitted };
}

const type = (text: string): EditEvent => ({ type: 'insert', text });

describe('line editor', () => {
  it('inserts at the cursor and moves with left/right/home/end', () => {
    const { state } = run([type('sy hi'), { type: 'home' }, { type: 'right' }, type('a'), { type: 'end' }, type('!')]);
    expect(state.text).toBe('say hi!');
    expect(state.cursor).toBe(7);
  });

  it('backspace and delete-forward remove one character, at the edges nothing', () => {
    let r = run([type('look'), { type: 'backspace' }]);
    expect(r.state.text).toBe('loo');
    r = run([{ type: 'backspace' }]);
    expect(r.state.text).toBe('');
    r = run([type('look'), { type: 'home' }, { type: 'deleteForward' }]);
    expect(r.state.text).toBe('ook');
    expect(r.state.cursor).toBe(0);
  });

  it('Ctrl+U kills to the start of the line, Ctrl+W the word before the cursor', () => {
    expect(run([type('say hello'), { type: 'killBefore' }]).state.text).toBe('');
    const mid = run([type('say hello'), { type: 'left' }, { type: 'left' }, { type: 'killBefore' }]);
    expect(mid.state.text).toBe('lo');
    expect(mid.state.cursor).toBe(0);
    expect(run([type('say hello there '), { type: 'killWordBefore' }]).state.text).toBe('say hello ');
  });

  it('moves over an emoji as one character', () => {
    const r = run([type('a😀b'), { type: 'left' }, { type: 'backspace' }]);
    expect(r.state.text).toBe('ab');
  });

  it('Enter hands over the line and clears the editor', () => {
    const r = run([type('north'), { type: 'submit' }]);
    expect(r.submitted).toEqual(['north']);
    expect(r.state.text).toBe('');
    expect(r.state.history).toEqual(['north']);
  });

  it('up/down walk the history and give back the line being typed', () => {
    const r = run([type('look'), { type: 'submit' }, type('north'), { type: 'submit' }, type('say h')]);
    let s = edit(r.state, { type: 'historyPrev' }).state;
    expect(s.text).toBe('north');
    s = edit(s, { type: 'historyPrev' }).state;
    expect(s.text).toBe('look');
    s = edit(s, { type: 'historyPrev' }).state;
    expect(s.text).toBe('look');
    s = edit(s, { type: 'historyNext' }).state;
    expect(s.text).toBe('north');
    s = edit(s, { type: 'historyNext' }).state;
    expect(s.text).toBe('say h');
    expect(s.historyIndex).toBeNull();
  });

  it('keeps no empty lines, no repeats of the last line, and at most MAX_HISTORY entries', () => {
    let r = run([{ type: 'submit' }, type('look'), { type: 'submit' }, type('look'), { type: 'submit' }]);
    expect(r.state.history).toEqual(['look']);
    const many: EditEvent[] = [];
    for (let i = 0; i < MAX_HISTORY + 10; i++) many.push(type(`cmd${i}`), { type: 'submit' });
    r = run(many);
    expect(r.state.history.length).toBe(MAX_HISTORY);
    expect(r.state.history.at(-1)).toBe(`cmd${MAX_HISTORY + 9}`);
  });

  it('a password line (history off) is not remembered', () => {
    const r = edit(edit(emptyEditor, type('secret-pass')).state, { type: 'submit' }, { history: false });
    expect(r.submitted).toBe('secret-pass');
    expect(r.state.history).toEqual([]);
  });

  it('drops control characters and stops at the longest command the protocol takes', () => {
    expect(run([type('lo\x1b[Aok\t')]).state.text).toBe('lo[Aok');
    expect(run([type('x'.repeat(MAX_INPUT + 50))]).state.text.length).toBe(MAX_INPUT);
  });
});
