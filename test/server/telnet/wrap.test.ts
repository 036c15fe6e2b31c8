import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrap } from '../../../server/telnet/wrap.js';

describe('wrap', () => {
  it('wraps at spaces to the width', () => {
    const text = 'The gambrel roofs of Arkham crowd close above the slow, dark Miskatonic.';
    expect(wrap(text, 30)).toBe('The gambrel roofs of Arkham\ncrowd close above the slow,\ndark Miskatonic.');
  });

  it('leaves short lines and existing line breaks alone', () => {
    expect(wrap('Exits: north.\nAlso here: Armitage.', 40)).toBe('Exits: north.\nAlso here: Armitage.');
    expect(wrap('x'.repeat(40), 40)).toBe('x'.repeat(40));
  });

  it('splits a word longer than the width', () => {
    expect(wrap(`a ${'y'.repeat(45)} b`, 20)).toBe(`a\n${'y'.repeat(20)}\n${'y'.repeat(20)}\n${'y'.repeat(5)} b`);
  });

  it('does not wrap for no width or an absurdly narrow one', () => {
    const text = 'word '.repeat(30).trim();
    expect(wrap(text, 0)).toBe(text);
    expect(wrap(text, 5)).toBe(text);
  });

  it('never makes a line longer than the width, and never loses or adds a non-space (property)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '-', '.'), minLength: 1, maxLength: 50 });
    const line = fc.array(word, { maxLength: 30 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), fc.integer({ min: 20, max: 200 }), (lines, width) => {
        const text = lines.join('\n');
        const out = wrap(text, width);
        for (const l of out.split('\n')) expect(l.length).toBeLessThanOrEqual(width);
        expect(out.replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
        // Only the spaces where a line was broken have become newlines.
        expect(out.split('\n').length).toBeGreaterThanOrEqual(lines.length);
      }),
      { numRuns: 500 },
    );
  });
});
