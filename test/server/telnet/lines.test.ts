import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type Line } from '../../../server/telnet/lines.js';
import { split } from './split.js';

function lines(chunks: Array<Buffer | string>, maxLine?: number): Line[] {
  const out: Line[] = [];
  const splitter = new LineSplitter((l) => out.push(l), maxLine);
  for (const c of chunks) splitter.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  return out;
}

const texts = (chunks: Array<Buffer | string>, maxLine?: number) => lines(chunks, maxLine).map((l) => l.text);

describe('LineSplitter', () => {
  it('accepts CRLF, LF, CR NUL and a lone CR as line ends', () => {
    expect(texts(['one\r\ntwo\nthree\r\0four\rfive\n'])).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('keeps empty lines, and CR CR is two lines', () => {
    expect(texts(['\r\n\n\r\0\r\r'])).toEqual(['', '', '', '', '']);
  });

  it('holds a line without its end until the end arrives', () => {
    const out: Line[] = [];
    const s = new LineSplitter((l) => out.push(l));
    s.push(Buffer.from('look'));
    expect(out).toEqual([]);
    s.push(Buffer.from(' north\r'));
    expect(out).toEqual([{ text: 'look north', bytes: 10, truncated: false }]);
    s.push(Buffer.from('\n')); // the LF of a CRLF split across reads is not a second line
    expect(out).toHaveLength(1);
  });

  it('gives the same lines for every split point, and byte by byte', () => {
    const input = Buffer.from('say héllo\r\nlook\nnorth\r\0\rwho\r\nemote ☃ waves\n', 'utf8');
    const whole = lines([input]);
    expect(whole.map((l) => l.text)).toEqual(['say héllo', 'look', 'north', '', 'who', 'emote ☃ waves']);
    for (let i = 0; i <= input.length; i++) {
      expect(lines([input.subarray(0, i), input.subarray(i)]), `split at ${i}`).toEqual(whole);
    }
    expect(lines([...input].map((b) => Buffer.from([b])))).toEqual(whole);
  });

  it('gives the same lines under any chunking (property)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\x00-\x1f\x7f-\x9f]/g, ''));
    const ending = fc.constantFrom('\r\n', '\n', '\r\0', '\r');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, ending), { maxLength: 15 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (pairs, cuts) => {
          // A lone CR directly followed by LF or NUL would be one CRLF / CR NUL: avoid that case.
          const parts = pairs.map(([t, e], i) => (e === '\r' && pairs[i + 1] && pairs[i + 1]![0] === '' ? [t, '\n'] : [t, e]));
          const wire = Buffer.from(parts.map(([t, e]) => t! + e!).join(''), 'utf8');
          expect(texts(split(wire, cuts))).toEqual(parts.map(([t]) => t));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cuts a line over the limit, flags it, and reads the next line normally', () => {
    const long = 'x'.repeat(5000);
    const out = lines([`${long}\r\nnext\r\n`], 4096);
    expect(out).toEqual([
      { text: 'x'.repeat(4096), bytes: 4096, truncated: true },
      { text: 'next', bytes: 4, truncated: false },
    ]);
  });

  it('flags a line of exactly the limit as whole, and one byte more as cut', () => {
    expect(lines(['y'.repeat(16) + '\n'], 16)).toEqual([{ text: 'y'.repeat(16), bytes: 16, truncated: false }]);
    expect(lines(['y'.repeat(17) + '\n'], 16)).toEqual([{ text: 'y'.repeat(16), bytes: 16, truncated: true }]);
  });

  it('keeps memory bounded when a line never ends', () => {
    const out: Line[] = [];
    const s = new LineSplitter((l) => out.push(l), 1024);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 64; i++) s.push(chunk); // 4 MiB without a line end
    s.push(Buffer.from('\n'));
    expect(out).toEqual([{ text: 'a'.repeat(1024), bytes: 1024, truncated: true }]);
  });

  it('replaces invalid UTF-8 with U+FFFD', () => {
    expect(texts([Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x0a])])).toEqual(['a\uFFFDb\uFFFD']);
    // A UTF-8 character split across reads is not invalid.
    const snow = Buffer.from('☃\n', 'utf8');
    expect(texts([snow.subarray(0, 1), snow.subarray(1, 2), snow.subarray(2)])).toEqual(['☃']);
  });

  it('replaces a multi-byte character cut by the limit, not a neighbour', () => {
    const out = lines([Buffer.from('ab☃\n', 'utf8')], 3); // '☃' is 3 bytes; only 1 fits
    expect(out).toEqual([{ text: 'ab\uFFFD', bytes: 3, truncated: true }]);
  });

  it('leaves other control characters to the core\'s input gate, which cleans every door\'s lines', () => {
    expect(texts(['a\x07b\x1b[31mc\x00d\tz\u0085!\n'])).toEqual(['a\x07b\x1b[31mc\x00d\tz\u0085!']);
  });

  it('applies backspace and delete', () => {
    expect(texts(['lokk\b\bok\n', 'abc\x7f\x7fd\n', '\b\bx\n', 'é\b\n'])).toEqual(['look', 'ad', 'x', '']);
  });

  it('erases a whole line of backspaces, a line at the limit of them', () => {
    expect(texts(['x'.repeat(2047) + '\b'.repeat(2047) + 'ok\n'])).toEqual(['ok']); // 4096 bytes in all
  });
});
