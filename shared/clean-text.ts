// Text a player gave, made safe to show on anyone's terminal: the one cleaner the server's input
// gate and the clients' printing both use. What another player typed must reach a screen as words
// only, never as a command to that terminal (clear the screen, set the title, move the cursor).
//
// Removed: escape sequences whole (CSI, OSC, DCS/SOS/PM/APC strings, two-byte and nF escapes, in
// their 7-bit ESC forms and their 8-bit C1 forms), every other C0 and C1 control and DEL, and the
// bidi embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069), which can make a line
// read backwards. A tab becomes a space. Lone surrogates become U+FFFD. The result holds none of
// these, so cleaning it again changes nothing.

const ESC = 0x1b;
const BEL = 0x07;
// The 8-bit forms of ESC [, ESC ], ESC P, ESC X, ESC ^, ESC _ and of the string terminator ESC \.
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_STRINGS = new Set([0x90, 0x98, 0x9d, 0x9e, 0x9f]);
// What follows ESC to open a control string, which runs to its terminator: P (DCS), X (SOS),
// ] (OSC), ^ (PM), _ (APC).
const STRING_OPENERS = new Set(['P', 'X', ']', '^', '_'].map((c) => c.charCodeAt(0)));

/** Anything the cleaner would change: most text has none, and is returned as it is. */
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function isBidiControl(c: number): boolean {
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/** One line of text with nothing in it but what a terminal shows as text. */
export function cleanText(raw: string): string {
  if (!SUSPECT.test(raw) && raw.isWellFormed()) return raw;
  const s = raw.toWellFormed();
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === ESC) {
      i = skipEscape(s, i + 1);
    } else if (c === C1_CSI) {
      i = skipCsi(s, i + 1);
    } else if (C1_STRINGS.has(c)) {
      i = skipString(s, i + 1);
    } else if (c === 0x09) {
      out += ' ';
      i++;
    } else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || isBidiControl(c)) {
      i++;
    } else {
      // Runs of ordinary characters are copied in one slice, not one by one.
      let j = i + 1;
      while (j < n) {
        const d = s.charCodeAt(j);
        if (d < 0x20 || (d >= 0x7f && d < 0xa0) || isBidiControl(d)) break;
        j++;
      }
      out += s.slice(i, j);
      i = j;
    }
  }
  return out;
}

/** Text of several lines (a room description, a command's output): each line cleaned, breaks kept. */
export function cleanLines(raw: string): string {
  return raw.includes('\n') ? raw.split(/\r?\n/).map(cleanText).join('\n') : cleanText(raw);
}

/** `i` is just past an ESC: returns the index just past the whole sequence. */
function skipEscape(s: string, i: number): number {
  if (i >= s.length) return i;
  const c = s.charCodeAt(i);
  if (c === 0x5b /* [ */) return skipCsi(s, i + 1);
  if (STRING_OPENERS.has(c)) return skipString(s, i + 1);
  // nF escapes (ESC ( B, ESC # 8): intermediates 0x20-0x2F, then one final 0x30-0x7E.
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
  if (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x7e) return j + 1;
  // ESC followed by anything else (another control, a letter past the range): the ESC alone goes.
  return i;
}

/** Past a CSI: parameters 0x30-0x3F, intermediates 0x20-0x2F, then a final 0x40-0x7E. */
function skipCsi(s: string, i: number): number {
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x3f) j++;
  while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
  if (j < s.length && s.charCodeAt(j) >= 0x40 && s.charCodeAt(j) <= 0x7e) return j + 1;
  // A broken CSI ends at the first byte that cannot belong to it; that byte is read as usual.
  return j;
}

/**
 * Past a control string (OSC, DCS, ...): up to BEL, ESC \ or the 8-bit ST. An unterminated one
 * runs to the end of the text, as a terminal would swallow everything after it.
 */
function skipString(s: string, i: number): number {
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === BEL || c === C1_ST) return j + 1;
    // ESC \ ends it; any other ESC ends it too and starts a sequence of its own.
    if (c === ESC) return s.charCodeAt(j + 1) === 0x5c /* \ */ ? j + 2 : j;
  }
  return s.length;
}

/**
 * A copy of a parsed JSON value with every string in it cleaned (cleanLines): what a client does
 * to each frame before anything in it can reach the screen, whatever server sent it.
 */
export function cleanStrings<T>(value: T): T {
  // The shape is kept exactly (only strings change), so the value is still a T.
  return cleanValue(value) as T;
}

function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') return cleanLines(value);
  if (Array.isArray(value)) return value.map(cleanValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cleanValue(v);
    return out;
  }
  return value;
}
