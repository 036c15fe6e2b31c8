// Turns the data bytes of a telnet stream into lines of text. Accepts CRLF, LF, CR NUL and a lone
// CR as line ends; bounds a line's length (the rest is cut and the line flagged); decodes UTF-8
// with replacement characters; applies backspace/delete; strips other control characters.
export const DEFAULT_MAX_LINE = 4096;

export interface Line {
  text: string;
  /** The line was longer than the limit and has been cut. */
  truncated: boolean;
}

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

export class LineSplitter {
  private buf: Buffer;
  private len = 0;
  private truncated = false;
  private afterCR = false;

  constructor(
    private readonly onLine: (line: Line) => void,
    private readonly maxLine = DEFAULT_MAX_LINE,
  ) {
    this.buf = Buffer.alloc(Math.min(256, maxLine));
  }

  push(bytes: Buffer): void {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.afterCR) {
        this.afterCR = false;
        if (b === LF || b === NUL) continue; // CR LF and CR NUL end the line the CR already ended
      }
      if (b === CR) {
        this.afterCR = true;
        this.emit();
      } else if (b === LF) this.emit();
      else this.append(b);
    }
  }

  private append(b: number): void {
    if (this.len >= this.maxLine) {
      this.truncated = true;
      return;
    }
    if (this.len === this.buf.length) {
      const bigger = Buffer.alloc(Math.min(this.buf.length * 2, this.maxLine));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    this.buf[this.len++] = b;
  }

  private emit(): void {
    const text = cleanText(this.buf.toString('utf8', 0, this.len));
    const truncated = this.truncated;
    this.len = 0;
    this.truncated = false;
    if (this.buf.length > 1024) this.buf = Buffer.alloc(256); // don't hold a big buffer per idle connection
    this.onLine({ text, truncated });
  }
}

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \\), and two-byte escapes (ESC x).
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-~])/g;

/**
 * Removes terminal escape sequences, applies BS/DEL as "erase the previous character" (clients
 * in character mode send them), then removes the remaining C0/C1 control characters except tab,
 * which becomes a space.
 */
export function cleanText(raw: string): string {
  // Whole escape sequences go, not just their ESC byte: others would see "[31m", and a
  // character-mode client's arrow keys would type "[A".
  const text = raw.includes('\x1b') ? raw.replace(ESCAPE_SEQUENCE, '') : raw;
  // An array of characters, so that a line full of backspaces costs O(n), not O(n^2).
  const out: string[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0x08 || c === 0x7f) out.pop();
    else if (c === 0x09) out.push(' ');
    else if (c < 0x20 || (c >= 0x80 && c < 0xa0)) continue;
    else out.push(ch);
  }
  return out.join('');
}
