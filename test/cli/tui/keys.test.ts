import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { keyActions } from '../../../cli/tui/keys.js';

const none: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

describe('keyActions', () => {
  it('splits a paste or a fast script ("look\\r" in one chunk) into text and Enter', () => {
    expect(keyActions('look\r', none)).toEqual([{ type: 'insert', text: 'look' }, { type: 'submit' }]);
    expect(keyActions('n\r\ns\nsay hi', none)).toEqual([
      { type: 'insert', text: 'n' },
      { type: 'submit' },
      { type: 'insert', text: 's' },
      { type: 'submit' },
      { type: 'insert', text: 'say hi' },
    ]);
  });

  it('maps editing, history, scrolling and quitting keys', () => {
    expect(keyActions('\r', { ...none, return: true })).toEqual([{ type: 'submit' }]);
    expect(keyActions('', { ...none, upArrow: true })).toEqual([{ type: 'historyPrev' }]);
    expect(keyActions('', { ...none, pageUp: true })).toEqual([{ type: 'pageUp' }]);
    expect(keyActions('', { ...none, pageDown: true })).toEqual([{ type: 'pageDown' }]);
    expect(keyActions('', { ...none, delete: true })).toEqual([{ type: 'backspace' }]);
    expect(keyActions('u', { ...none, ctrl: true })).toEqual([{ type: 'killBefore' }]);
    expect(keyActions('c', { ...none, ctrl: true })).toEqual([{ type: 'quit' }]);
    expect(keyActions('d', { ...none, ctrl: true })).toEqual([{ type: 'quit' }]);
    expect(keyActions('\t', { ...none, tab: true })).toEqual([]);
  });
});
