import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanLines, cleanText } from '../../shared/clean-text.js';

// Everything the cleaner must never let through: C0, DEL, C1, and the bidi controls.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('cleanText: escape sequences go whole, the words around them stay', () => {
  it.each([
    ['CSI colour', '\x1b[1;31mred\x1b[0m text', 'red text'],
    ['CSI clear screen and home', 'hi \x1b[2J\x1b[H', 'hi '],
    ['CSI with private parameters', 'a\x1b[?1049hb', 'ab'],
    ['cursor key', 'up\x1b[Aarrow', 'uparrow'],
    ['OSC title ended by BEL', '\x1b]0;title\x07after', 'after'],
    ['OSC title ended by ST', '\x1b]0;title\x1b\\after', 'after'],
    ['OSC hyperlink', '\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\', 'link'],
    ['DCS string', 'x\x1bP1$r\x1b\\y', 'xy'],
    ['APC string', 'x\x1b_secret\x1b\\y', 'xy'],
    ['two-byte reset (RIS)', 'a\x1bcb', 'ab'],
    ['nF: charset designation', 'a\x1b(0b', 'ab'],
    ['nF: DECALN screen fill', 'a\x1b#8b', 'ab'],
    ['8-bit CSI', 'a\u009b2Jb', 'ab'],
    ['8-bit OSC ended by 8-bit ST', 'a\u009d0;t\u009cb', 'ab'],
    ['lone ESC at the end', 'lone escape at the end\x1b', 'lone escape at the end'],
    ['ESC ESC', 'a\x1b\x1b[31mb', 'ab'],
    ['an OSC cut by another escape', 'a\x1b]0;t\x1b[31mb', 'ab'],
    ['an unterminated OSC swallows the rest, as a terminal would', 'a\x1b]0;title and more', 'a'],
    ['a broken CSI ends at the byte that cannot belong to it', 'a\x1b[12\u00e9b', 'a\u00e9b'],
  ])('%s', (_what, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });
});

describe('cleanText: controls', () => {
  it('removes C0, DEL, C1 and bidi controls, and turns a tab into a space', () => {
    expect(cleanText('a\x07b\x00c\x08d\x7fe\u0085f\tg')).toBe('abcdef g');
    expect(cleanText('gnp.\u202eexe')).toBe('gnp.exe');
    expect(cleanText('\u2066a\u2067b\u2068c\u2069\u202a\u202b\u202c\u202d')).toBe('abc');
    expect(cleanText('line one\r\nline two')).toBe('line oneline two');
  });

  it('keeps ordinary text, accents and emoji exactly', () => {
    for (const s of ['look', 'say — café ☠', 'Ünïcödé', '🐙 Cthulhu fhtagn', '']) expect(cleanText(s)).toBe(s);
  });

  it('replaces a lone surrogate with U+FFFD', () => {
    expect(cleanText('a\ud800b')).toBe('a\ufffdb');
  });

  it('cleanLines keeps the line breaks and cleans each line', () => {
    expect(cleanLines('one\x1b[2J\ntwo\x07\r\nthree')).toBe('one\ntwo\nthree');
  });
});

describe('cleanText: properties', () => {
  // Strings made mostly of the characters that matter, so the interesting cases come up often.
  const nasty = fc.string({
    unit: fc.oneof(
      fc.constantFrom('\x1b', '[', ']', '\\', 'P', '_', '\x07', '\u009b', '\u009c', '\u009d', '\t', '\n', '\u202e', '\u2066', ';', '0', 'm'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 60,
  });

  it('never leaves a control character, and cleaning again changes nothing (100,000 strings)', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 80 })), (s) => {
        const once = cleanText(s);
        expect(once).not.toMatch(UNSAFE);
        expect(once.isWellFormed()).toBe(true);
        expect(cleanText(once)).toBe(once);
      }),
      { numRuns: 100_000 },
    );
  });

  it('leaves text without controls as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => {
        fc.pre(!UNSAFE.test(s));
        expect(cleanText(s)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});
