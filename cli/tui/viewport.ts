// Which screen rows of the scrollback are visible, and where PgUp/PgDn move the view. The view is
// pinned by `anchor`, the id of the line at its bottom (null: follow the newest line), so lines
// that arrive while the player reads back do not move what they are reading. Only the lines on
// screen are wrapped: the cost is the height of the window, not the length of the scrollback.
import type { LineKind } from './format.js';
import { rowCount, wrapLine } from './wrap.js';

export interface Line {
  id: number;
  kind: LineKind;
  text: string;
}

export interface Row {
  key: string;
  kind: LineKind;
  text: string;
}

export interface Viewport {
  rows: Row[];
  /** Lines below the view (arrived or skipped while scrolled back); 0 when following. */
  unseen: number;
}

function bottomIndex(lines: readonly Line[], anchor: number | null): number {
  if (lines.length === 0) return -1;
  if (anchor === null) return lines.length - 1;
  return Math.max(0, Math.min(lines.length - 1, anchor - lines[0]!.id));
}

/** The rows to draw in a window of `height` rows, `width` columns. */
export function viewport(lines: readonly Line[], anchor: number | null, width: number, height: number): Viewport {
  const bottom = bottomIndex(lines, anchor);
  const unseen = anchor === null ? 0 : lines.length - 1 - bottom;
  const rows: Row[] = [];
  for (let i = bottom; i >= 0 && rows.length < height; i--) {
    const line = lines[i]!;
    const wrapped = wrapLine(line.text, width);
    for (let r = wrapped.length - 1; r >= 0 && rows.length < height; r--) {
      rows.push({ key: `${line.id}.${r}`, kind: line.kind, text: wrapped[r]! });
    }
  }
  rows.reverse();
  return { rows, unseen };
}

/**
 * The anchor after PgUp: the view moves up by about a page (a row of overlap keeps the reader's
 * place), never so far that the window would show blank space above the first line.
 */
export function scrollUp(lines: readonly Line[], anchor: number | null, width: number, height: number): number | null {
  if (lines.length === 0) return null;
  const page = Math.max(1, height - 1);
  // The lowest bottom line that still fills the window: scrolling stops there.
  let floor = 0;
  let filled = 0;
  while (floor < lines.length && (filled += rowCount(lines[floor]!.text, width)) < height) floor++;
  if (floor >= lines.length - 1) return null; // everything fits: nothing to scroll
  let i = bottomIndex(lines, anchor);
  let moved = 0;
  while (i > floor) {
    const rows = rowCount(lines[i]!.text, width);
    if (moved > 0 && moved + rows > page) break;
    moved += rows;
    i--;
  }
  return lines[Math.max(i, floor)]!.id;
}

/** The anchor after PgDn: a page down, back to following (null) at the newest line. */
export function scrollDown(lines: readonly Line[], anchor: number | null, width: number, height: number): number | null {
  if (anchor === null || lines.length === 0) return null;
  const page = Math.max(1, height - 1);
  let i = bottomIndex(lines, anchor);
  let moved = 0;
  while (i < lines.length - 1) {
    const rows = rowCount(lines[i + 1]!.text, width);
    if (moved > 0 && moved + rows > page) break;
    moved += rows;
    i++;
  }
  return i >= lines.length - 1 ? null : lines[i]!.id;
}
