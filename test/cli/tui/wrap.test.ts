import { describe, expect, it } from 'vitest';
import { rowCount, textWidth, wrapLine } from '../../../cli/tui/wrap.js';

describe('wrapLine', () => {
  it('keeps a short line whole and an empty line as one row', () => {
    expect(wrapLine('hello', 10)).toEqual(['hello']);
    expect(wrapLine('', 10)).toEqual(['']);
  });

  it('breaks between words and drops the spaces at the break', () => {
    expect(wrapLine('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
  });

  it('cuts a word longer than the width', () => {
    expect(wrapLine('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapLine('ab abcdefghijkl', 5)).toEqual(['ab', 'abcde', 'fghij', 'kl']);
  });

  it('never makes a row wider than the width, and loses no letters', () => {
    const text = 'Flivvers rattle along Main Street to east and west, Garrison Street runs north toward the river.';
    for (const width of [1, 3, 7, 10, 20, 33, 80]) {
      const rows = wrapLine(text, width);
      for (const row of rows) expect(textWidth(row)).toBeLessThanOrEqual(width);
      expect(rows.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      expect(rowCount(text, width)).toBe(rows.length);
    }
  });

  it('counts wide characters as two columns', () => {
    expect(textWidth('日本')).toBe(4);
    expect(wrapLine('日本語です', 4)).toEqual(['日本', '語で', 'す']);
  });
});
