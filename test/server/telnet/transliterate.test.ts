import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transliterate } from '../../../server/telnet/transliterate.js';

describe('transliterate', () => {
  it.each([
    ['say — café ☠', 'say - cafe ?', 'say - café ?'],
    ['Ünïcödé', 'Unicode', 'Ünïcödé'],
    ['e\u0301 (a combining accent)', 'e (a combining accent)', 'é (a combining accent)'],
    ['“quoted” and ‘single’ …', '"quoted" and \'single\' ...', '"quoted" and \'single\' ...'],
    ['Straße, Œuvre, smørrebrød, £5', 'Strasse, OEuvre, smorrebrod, GBP5', 'Straße, OEuvre, smørrebrød, £5'],
    ['☠️ fhtagn 🐙', '? fhtagn ?', '? fhtagn ?'],
    ['ﬁne Ａrkham ①', 'fine Arkham 1', 'fine Arkham 1'],
    ['non\u00a0breaking', 'non breaking', 'non\u00a0breaking'],
  ])('%s', (input, ascii, latin1) => {
    expect(transliterate(input, 'ascii')).toBe(ascii);
    expect(transliterate(input, 'latin-1')).toBe(latin1);
    expect(transliterate(input, 'utf-8')).toBe(input);
  });

  it('always fits its target and never cuts the line: every character of the target survives, in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        for (const [encoding, limit] of [['ascii', 0x7f], ['latin-1', 0xff]] as const) {
          const out = transliterate(s, encoding);
          for (const ch of out) expect(ch.codePointAt(0)!).toBeLessThanOrEqual(limit);
          // What the target can hold as it is comes through untouched, in order, to the end.
          const kept = [...s.normalize(encoding === 'latin-1' ? 'NFC' : 'NFD')].filter((ch) => ch.codePointAt(0)! <= limit).join('');
          let i = 0;
          for (const ch of out) if (ch === kept[i]) i++;
          expect(i).toBe(kept.length);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
