// Display width and word wrap for the terminal's lines. The terminal wraps its lines itself (rather
// than leaving it to Ink) so that scrolling can count screen rows exactly.

/** Columns a code point takes: 0 for combining marks and controls, 2 for East Asian wide, else 1. */
export function charWidth(cp: number): number {
  if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/**
 * Splits one logical line into screen rows of at most `width` columns: at spaces when it can, a
 * word longer than the width is cut. Always at least one row (an empty line is one empty row).
 */
export function wrapLine(text: string, width: number): string[] {
  const max = Math.max(1, Math.floor(width));
  if (text.length <= max && textWidth(text) <= max) return [text];
  const rows: string[] = [];
  let row = '';
  let rowWidth = 0;
  // Tokens: runs of spaces and runs of non-spaces, so a row breaks between words.
  for (const token of text.match(/ +|[^ ]+/g) ?? []) {
    const tw = textWidth(token);
    if (rowWidth + tw <= max) {
      row += token;
      rowWidth += tw;
      continue;
    }
    if (token.startsWith(' ')) {
      // Spaces at a break are dropped: the next row starts with the next word.
      if (rowWidth > 0) rows.push(row);
      row = '';
      rowWidth = 0;
      continue;
    }
    if (rowWidth > 0) {
      rows.push(row.trimEnd());
      row = '';
      rowWidth = 0;
      if (tw <= max) {
        row = token;
        rowWidth = tw;
        continue;
      }
    }
    for (const ch of token) {
      const cw = charWidth(ch.codePointAt(0)!);
      if (rowWidth + cw > max && rowWidth > 0) {
        rows.push(row);
        row = '';
        rowWidth = 0;
      }
      row += ch;
      rowWidth += cw;
    }
  }
  if (row.length > 0 || rows.length === 0) rows.push(row);
  return rows;
}

/** How many screen rows a line takes at this width (what wrapLine(...).length would say). */
export function rowCount(text: string, width: number): number {
  return wrapLine(text, width).length;
}
