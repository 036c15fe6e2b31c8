// Text for a client that does not speak UTF-8 (TinyFugue, older clients, plain telnet that never
// said): every character becomes one the client can show, and no line is ever cut. Accented
// letters lose their accents (café -> cafe), typographic punctuation becomes its ASCII cousin
// (— -> -, “ ” -> "), and what has no spelling in the target becomes "?".
export type TextEncoding = 'utf-8' | 'latin-1' | 'ascii';

/** Characters whose ASCII spelling the Unicode decomposition does not give. */
const SPELLED: Record<string, string> = {
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u00b4': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u2033': '"', '\u00ab': '<<', '\u00bb': '>>',
  '\u2039': '<', '\u203a': '>', '\u2026': '...', '\u2022': '*', '\u00b7': '.', '\u2027': '.',
  '\u00a0': ' ', '\u2002': ' ', '\u2003': ' ', '\u2009': ' ', '\u202f': ' ',
  '\u00df': 'ss', '\u00e6': 'ae', '\u00c6': 'AE', '\u0153': 'oe', '\u0152': 'OE', '\u00f8': 'o', '\u00d8': 'O',
  '\u0142': 'l', '\u0141': 'L', '\u0111': 'd', '\u0110': 'D', '\u00f0': 'd', '\u00d0': 'D', '\u00fe': 'th', '\u00de': 'Th',
  '\u0131': 'i', '\u00a9': '(C)', '\u00ae': '(R)', '\u2122': '(TM)', '\u00d7': 'x', '\u00f7': '/', '\u00b0': ' deg',
  '\u00a3': 'GBP', '\u20ac': 'EUR', '\u00a5': 'JPY', '\u00a2': 'c', '\u00a7': 'S.', '\u00b6': 'P.',
  '\u00bc': '1/4', '\u00bd': '1/2', '\u00be': '3/4', '\u00b9': '1', '\u00b2': '2', '\u00b3': '3',
  '\u00bf': '?', '\u00a1': '!', '\u2190': '<-', '\u2192': '->', '\u2191': '^', '\u2193': 'v',
};

// Combining marks (what NFD splits an accent into) and invisible format characters (ZWJ, ...).
const MARKS = /[\p{M}\p{Cf}]/gu;

/** One character (a code point) in ASCII: its spelling, its letters without accents, or "?". */
function asciiOf(ch: string): string {
  const spelled = SPELLED[ch];
  if (spelled !== undefined) return spelled;
  const bare = ch.normalize('NFKD').replace(MARKS, '');
  if (bare === '') return '';
  return /^[\x20-\x7e]+$/.test(bare) ? bare : '?';
}

/**
 * `text` with nothing outside what `encoding` can carry: for ASCII, every character is 0x00-0x7F;
 * for Latin-1, every one is U+0000-U+00FF (encode it with Buffer's 'latin1'). UTF-8 is unchanged.
 */
export function transliterate(text: string, encoding: TextEncoding): string {
  if (encoding === 'utf-8') return text;
  const limit = encoding === 'ascii' ? 0x7f : 0xff;
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > limit) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  // Latin-1 holds the precomposed letters: e + combining acute becomes é, not e.
  const source = encoding === 'latin-1' ? text.normalize('NFC') : text;
  let out = '';
  // Code point by code point: a character is replaced, never the rest of the line.
  for (const ch of source) {
    if (ch.codePointAt(0)! <= limit) out += ch;
    else if (!/^[\p{M}\p{Cf}]$/u.test(ch)) out += asciiOf(ch); // a lone accent or a joiner shows nothing
  }
  return out;
}
