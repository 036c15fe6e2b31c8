// What one telnet client can show, from what it said in negotiation (TTYPE/MTTS, CHARSET, NAWS)
// and what its player chose (`encoding`, `colour`, `prompt`): how many colours, which character
// set, how wide. Worked out when one of those changes, never per delivery; the connection renders
// with `colour`, `width` and `encode`, and shares renderings by `renderKey`.
import { DEFAULT_SETTINGS, type PlayerSettings } from '../../shared/protocol.js';
import { escapeIAC } from './parser.js';
import { transliterate, type TextEncoding } from './transliterate.js';
import { colourLevel, saysUtf8, type ColourLevel, type TerminalInfo } from './ttype.js';

export class Screen {
  private terminal: TerminalInfo = { client: null, terminals: [], mtts: null };
  private charsetUtf8 = false;
  private settings: PlayerSettings = DEFAULT_SETTINGS;
  width = 0;
  colour: ColourLevel = 0;
  /** UTF-8 only to a client that agreed to it; until then, and otherwise, ASCII. */
  encoding: TextEncoding = 'ascii';
  /** The player wants the game's "> " prompt. */
  prompts = true;
  /** The Outbound.memo key of a rendering for this screen: the same for every screen alike. */
  renderKey = '';

  constructor() {
    this.update();
  }

  terminalType(info: TerminalInfo): void {
    this.terminal = info;
    this.update();
  }

  /** The client accepted (or asked for) UTF-8 by CHARSET. */
  utf8Agreed(): void {
    this.charsetUtf8 = true;
    this.update();
  }

  resize(width: number): void {
    this.width = width;
    this.update();
  }

  configure(settings: PlayerSettings): void {
    this.settings = settings;
    this.update();
  }

  /** Text as it goes on the wire: CRLF line ends, in this screen's character set, IAC doubled. */
  encode(text: string): Buffer {
    const crlf = text.replace(/\r?\n/g, '\r\n');
    if (this.encoding === 'utf-8') return escapeIAC(Buffer.from(crlf, 'utf8'));
    // Transliterated, every character fits one byte of the target: Latin-1 bytes are the code points.
    return escapeIAC(Buffer.from(transliterate(crlf, this.encoding), 'latin1'));
  }

  /** A typed line's bytes as text: Latin-1 for a player who chose it, else UTF-8 (bad bytes: U+FFFD). */
  decode(bytes: Buffer): string {
    return bytes.toString(this.settings.encoding === 'latin-1' ? 'latin1' : 'utf8');
  }

  describe(): Record<string, unknown> {
    return { ...this.terminal, charsetUtf8: this.charsetUtf8, colour: this.colour, encoding: this.encoding, width: this.width };
  }

  private update(): void {
    const { colour, encoding, prompt } = this.settings;
    const auto = colourLevel(this.terminal);
    this.colour = colour === 'auto' ? auto : colour === 'off' ? 0 : colour === 'on' ? (Math.max(1, auto) as ColourLevel) : 2;
    this.encoding = encoding !== 'auto' ? encoding : this.charsetUtf8 || saysUtf8(this.terminal) ? 'utf-8' : 'ascii';
    this.prompts = prompt === 'on';
    this.renderKey = `telnet:${this.colour}:${this.width}:${this.encoding}`;
  }
}
