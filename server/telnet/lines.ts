// Turns the data bytes of a telnet stream into lines of text. Accepts CRLF, LF, CR NUL and a lone
// CR as line ends; bounds a line's length (the rest is cut and the line flagged); decodes UTF-8
// with replacement characters; applies backspace/delete, which only a telnet line can hold. It
// cleans nothing else: the core's input gate does that for every door (shared/clean-text.ts).
import { MAX_LINE_BYTES } from '../../shared/protocol.js';

export const DEFAULT_MAX_LINE = MAX_LINE_BYTES;

export interface Line {
  text: string;
  /** The line's bytes as received (before editing), for the input queue's bound. */
  bytes: number;
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
    /** Bytes to text: UTF-8 unless the player chose otherwise (Screen.decode). */
    private readonly decode: (bytes: Buffer) => string = (bytes) => bytes.toString('utf8'),
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
    const text = editLine(this.decode(this.buf.subarray(0, this.len)));
    const line = { text, bytes: this.len, truncated: this.truncated };
    this.len = 0;
    this.truncated = false;
    if (this.buf.length > 1024) this.buf = Buffer.alloc(256); // don't hold a big buffer per idle connection
    this.onLine(line);
  }
}

/**
 * Applies BS and DEL as "erase the previous character", as a client in character mode means them.
 * An array of characters, so that a line full of backspaces costs O(n), not O(n^2).
 */
export function editLine(raw: string): string {
  if (!raw.includes('\b') && !raw.includes('\x7f')) return raw;
  const out: string[] = [];
  for (const ch of raw) {
    if (ch === '\b' || ch === '\x7f') out.pop();
    else out.push(ch);
  }
  return out.join('');
}
