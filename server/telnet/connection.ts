// One telnet connection: bytes in through the parser and the line splitter, the login dialogue,
// then lines to the game; envelopes out as text with a prompt after each burst. The bytes
// themselves leave through output.ts, which bounds them and cuts loose a client that stops reading.
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Connection } from '../core/connection.js';
import type { Game } from '../core/game.js';
import type { Outbound } from '../core/outbound.js';
import type { PlayerSession } from '../core/session.js';
import { DEFAULT_INPUT_LIMITS, FLOOD_NOTICE, InputQueue, overflowNotice, type InputLimits } from '../core/input-queue.js';
import { ignoreDeliveries, type DeliveryObserver } from '../metrics.js';
import type { PlayerSettings } from '../../shared/protocol.js';
import type { Account } from '../store/repository.js';
import { AYT, EOR_CMD, GA, IAC, OPT, type Verb } from './codes.js';
import { DEFAULT_MAX_LINE, LineSplitter, type Line } from './lines.js';
import { LoginDialogue } from './login.js';
import { TelnetOutput } from './output.js';
import { nawsOption } from './naws.js';
import { Negotiator, type TelnetOption } from './negotiation.js';
import { TelnetParser } from './parser.js';
import { QuietPrompts } from './quiet-prompts.js';
import { renderEnvelope } from './render.js';
import { Screen } from './screen.js';
import { ttypeOption } from './ttype.js';

export interface TelnetLimits {
  maxLineBytes: number;
  /** Bytes queued for a client that is not reading, beyond which it is disconnected. */
  maxOutputBytes: number;
  /** A connection that has not logged in by then is closed. */
  loginTimeoutMs: number;
  /** The input queue: how much may wait, and the pace it runs at (core/input-queue.ts). */
  input: InputLimits;
}

export const DEFAULT_LIMITS: TelnetLimits = {
  maxLineBytes: DEFAULT_MAX_LINE,
  maxOutputBytes: 1024 * 1024,
  loginTimeoutMs: 120_000,
  input: DEFAULT_INPUT_LIMITS,
};

/** What a connection shares with the rest of its door. */
export interface TelnetDeps {
  /** The metrics' delivery time (Metrics.observeDelivery). */
  observe: DeliveryObserver;
  /** The door's one timer for prompts after others' events. */
  quietPrompts: QuietPrompts;
}

export const BANNER = [
  '',
  '    M Y T H O S M U D',
  '    Arkham, Massachusetts -- 1926',
  '',
  '    The gambrel roofs of Arkham crowd close above the slow, dark Miskatonic.',
  '    Something is wrong in this old town. You mean to find out what.',
  '',
].join('\n');

/** Extra per-connection behaviour a later option adds (GMCP, MSSP, MCCP2...). */
export interface TelnetExtension extends TelnetOption {
  /** Called for every envelope delivered, after the text. */
  deliver?(out: Outbound, seq: number): void;
  /** A line typed before login; true if the extension answered it (a crawler's MSSP-REQUEST). */
  loginLine?(text: string): boolean;
  /** The socket has closed: release what the extension holds (MCCP2's zlib stream). */
  closed?(): void;
}

/** An extension that takes every envelope delivered (GMCP). */
type Deliverer = TelnetExtension & Required<Pick<TelnetExtension, 'deliver'>>;

function takesDeliveries(ext: TelnetExtension): ext is Deliverer {
  return ext.deliver !== undefined;
}

export class TelnetConnection implements Connection {
  readonly door = 'telnet' as const;
  /** Telnet has no numbered frames of its own. */
  readonly framesBeforeLogin = 0;
  /** No resume on telnet: logging in again takes the body back, with a fresh room view. */
  readonly replays = false;
  readonly remoteAddress: string;
  private readonly parser: TelnetParser;
  private readonly lines: LineSplitter;
  readonly negotiator: Negotiator;
  private readonly ttype;
  private readonly extensions: TelnetExtension[] = [];
  /** The extensions that want every envelope (GMCP): the others are not visited per delivery. */
  private readonly deliverers: Deliverer[] = [];
  private login: LoginDialogue | null;
  private session: PlayerSession | null = null;
  /** Colour, character set, width and prompt, as negotiated and as the player chose. */
  readonly screen = new Screen();
  /** Closing, closed, or cut loose: the output has stopped taking bytes. */
  private get closed(): boolean {
    return this.output.stopped;
  }
  /** The player's own line ran this turn: a prompt follows the turn's output at once. */
  private promptWanted = false;
  /** A prompt is the last thing shown and the player has not pressed Enter since. */
  private atPrompt = false;
  /** Lines waiting to run, at the game's pace: the same queue as the WebSocket door's. */
  private readonly input: InputQueue<Line>;
  private loginTimer: NodeJS.Timeout | null;
  /** The bytes out: one write per turn, bounded (output.ts). MCCP2 wraps its rawWrite. */
  readonly output: TelnetOutput;

  constructor(
    private readonly socket: Socket,
    private readonly game: Game,
    private readonly log: Logger,
    private readonly limits: TelnetLimits = DEFAULT_LIMITS,
    private readonly deps: TelnetDeps = { observe: ignoreDeliveries, quietPrompts: new QuietPrompts() },
  ) {
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.output = new TelnetOutput(socket, log, this.remoteAddress, limits.maxOutputBytes, { beforeWrite: () => this.beforeWrite() });
    this.input = new InputQueue<Line>(
      {
        run: (line) => this.runLine(line),
        overflowed: () => {
          this.log.warn({ addr: this.remoteAddress, queued: this.input.length }, 'input queue full: lines dropped');
          this.writeText(overflowNotice(this.input.length) + '\n');
          this.schedulePrompt();
        },
        flooded: () => {
          this.log.warn({ addr: this.remoteAddress, player: this.session?.name }, 'input flood: disconnected');
          this.close(FLOOD_NOTICE);
        },
      },
      limits.input,
    );
    this.negotiator = new Negotiator((verb, option) => this.output.rawWrite(Buffer.from([IAC, verb, option])));
    this.parser = new TelnetParser({
      data: (bytes) => this.lines.push(bytes),
      command: (code) => this.onCommand(code),
      negotiate: (verb: Verb, option) => this.negotiator.receive(verb, option),
      subnegotiation: (option, payload) => this.negotiator.subnegotiation(option, payload),
      protocolError: (problem) => this.log.debug({ addr: this.remoteAddress, problem }, 'telnet protocol error'),
    });
    this.lines = new LineSplitter(
      (line) => this.input.push(line, line.bytes),
      limits.maxLineBytes,
      (bytes) => this.screen.decode(bytes),
    );
    this.ttype = ttypeOption(
      (bytes) => this.output.rawWrite(bytes),
      (info) => {
        this.screen.terminalType(info);
        this.log.debug({ addr: this.remoteAddress, ...this.screen.describe() }, 'terminal type');
      },
    );
    this.negotiator.register({ code: OPT.ECHO, local: true });
    this.negotiator.register({ code: OPT.SGA, local: true, remote: true });
    this.negotiator.register({ code: OPT.EOR, local: true });
    this.negotiator.register(this.ttype);
    this.negotiator.register(
      nawsOption((w) => this.screen.resize(w)),
    );
    this.login = new LoginDialogue(game, this.loginPort());

    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000); // finds half-open peers that vanished without a FIN
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.log.debug({ addr: this.remoteAddress, err: err.message }, 'telnet socket error'));
    socket.on('close', () => this.onClose());
    this.loginTimer = setTimeout(() => this.close('You took too long to log in. Goodbye.'), limits.loginTimeoutMs);
  }

  /**
   * Options to offer at once: a client that ignores them still plays. SGA is accepted but not
   * offered: offered, it puts a plain `telnet` into character mode, where it echoes Enter as "^M"
   * and the reply lands on the same line. MUD clients that want it ask with DO SGA.
   */
  start(): void {
    this.negotiator.setLocal(OPT.EOR, true);
    this.negotiator.setRemote(OPT.TTYPE, true);
    this.negotiator.setRemote(OPT.NAWS, true);
    for (const ext of this.extensions) {
      if (ext.local) this.negotiator.setLocal(ext.code, true);
      if (ext.remote) this.negotiator.setRemote(ext.code, true);
    }
    this.writeText(BANNER + '\n');
    this.login?.start();
  }

  extend(ext: TelnetExtension): void {
    this.extensions.push(ext);
    if (takesDeliveries(ext)) this.deliverers.push(ext);
    this.negotiator.register(ext);
  }

  // ---- Connection (what the core calls) ------------------------------------------------------

  deliver(out: Outbound, seq: number): void {
    if (this.closed) return;
    // Rendered, encoded and escaped once per event for all the recipients who see it alike.
    const screen = this.screen;
    const rendered = out.memo(screen.renderKey, () => {
      const text = renderEnvelope(out.envelope(seq), screen);
      return text === null ? null : new RenderedText(screen.encode(text + '\n'));
    });
    if (rendered !== null) this.show(rendered);
    for (const ext of this.deliverers) ext.deliver(out, seq);
    // Queued for this turn's single write (flushAll), which runs before any other I/O.
    this.deps.observe(this.door, out);
  }

  /** The player's settings: how text, colour and prompts look from now on. */
  configure(settings: PlayerSettings): void {
    this.screen.configure(settings);
    this.log.debug({ addr: this.remoteAddress, ...settings, ...this.screen.describe() }, 'screen settings');
  }

  /** CHARSET: the client agreed to UTF-8 (charset.ts). */
  utf8Agreed(): void {
    this.screen.utf8Agreed();
  }

  /**
   * An event's text. Off the prompt line first (a new line, unless the client marks prompts and
   * keeps them apart itself); then, unless it answers the player's own command, the prompt waits
   * until the burst of events is over (quiet-prompts.ts) rather than follow each one.
   */
  private show(rendered: RenderedText): void {
    const offPrompt = this.atPrompt && !this.marksPrompts();
    this.atPrompt = false;
    this.output.rawWrite(offPrompt ? rendered.afterPrompt() : rendered.bytes);
    if (!this.promptWanted && this.session && this.screen.prompts) this.deps.quietPrompts.touch(this);
  }

  /** quietPrompts: no output for a moment since an event; the prompt comes back if it is gone. */
  quietPrompt(): void {
    if (this.closed || !this.session || this.atPrompt || this.promptWanted || !this.screen.prompts) return;
    try {
      this.writeGamePrompt();
    } catch (err) {
      this.output.fail(err);
    }
  }

  close(notice?: string): void {
    if (this.closed) return;
    if (notice) this.writeText(notice + '\n');
    this.output.stopped = true;
    this.input.close();
    this.clearLoginTimer();
    this.output.rawEnd();
    // A peer that does not finish the close in time is dropped.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  // ---- input -------------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.parser.push(chunk);
    } catch (err) {
      // Whatever one connection's input trips over (a store error mid-login, a bug in an option)
      // ends that connection, never the process with everyone else in it.
      this.log.error({ err, addr: this.remoteAddress }, 'telnet input handling failed');
      this.close('Something went wrong on our side; please reconnect.');
    }
  }

  private onCommand(code: number): void {
    if (code === AYT) this.writeText('[MythosMUD: yes, we are here]\n');
    // IP, BRK, NOP, GA and the rest mean nothing to a line-based game.
  }

  /** One line from the input queue, in order and at the game's pace. */
  private runLine(line: Line): void {
    try {
      this.onLine(line);
    } catch (err) {
      // As in onData: a line that trips something ends this connection, never the process.
      this.log.error({ err, addr: this.remoteAddress }, 'telnet line handling failed');
      this.close('Something went wrong on our side; please reconnect.');
    }
  }

  private onLine(line: Line): void {
    if (this.closed) return;
    this.atPrompt = false; // the client's Enter moved its cursor to a new line
    if (line.truncated) {
      this.writeText(`Your line was longer than ${this.limits.maxLineBytes} bytes; the rest was cut off.\n`);
    }
    if (this.login) {
      if (this.extensions.some((ext) => ext.loginLine?.(line.text) === true)) return;
      this.login.line(line.text);
      return;
    }
    if (this.session) {
      this.game.input(this.session, line.text);
      this.schedulePrompt(); // even an empty line gets a fresh prompt
    }
  }

  private onClose(): void {
    this.output.stopped = true;
    this.deps.quietPrompts.forget(this);
    this.input.close();
    this.clearLoginTimer();
    for (const ext of this.extensions) ext.closed?.();
    if (this.session) this.game.connectionLost(this.session, this);
  }

  private loginPort() {
    return {
      prompt: (text: string) => this.writePrompt(text),
      say: (text: string) => this.writeText(text + '\n'),
      hideInput: (hidden: boolean) => this.negotiator.setLocal(OPT.ECHO, hidden),
      close: (notice: string) => {
        this.log.info({ addr: this.remoteAddress }, notice);
        this.close(notice);
      },
      enter: (account: Account) => this.enterGame(account),
      hold: (held: boolean) => (held ? this.input.hold() : this.input.release()),
      address: this.remoteAddress,
      log: (msg: string, fields?: Record<string, unknown>) => this.log.info({ addr: this.remoteAddress, ...fields }, msg),
    };
  }

  private enterGame(account: Account): void {
    this.login = null;
    this.clearLoginTimer();
    if (this.closed) return;
    // Lines typed while the password was checked wait in the input queue and run after this.
    this.session = this.game.enter(account, this);
    this.schedulePrompt(); // the login was the player's own doing: its room view gets a prompt
  }

  private clearLoginTimer(): void {
    if (this.loginTimer) clearTimeout(this.loginTimer);
    this.loginTimer = null;
  }

  // ---- output ------------------------------------------------------------------------------

  writeText(text: string): void {
    if (this.closed) return;
    this.leavePrompt();
    this.output.rawWrite(this.screen.encode(text));
  }

  /**
   * Output that arrives while the player sits at a prompt starts on a line of its own, unless
   * the client marks prompts (EOR) and so keeps them off its output itself: TinyFugue shows the
   * prompt in its input line, TinTin++ and Mudlet end the line at the mark. A new line there
   * would only be a blank line before every event.
   */
  private leavePrompt(): void {
    if (!this.atPrompt) return;
    this.atPrompt = false;
    if (!this.marksPrompts()) this.output.rawWrite(CRLF);
  }

  /** The client agreed to EOR: it knows a prompt when it sees one. */
  private marksPrompts(): boolean {
    return this.negotiator.isLocal(OPT.EOR);
  }

  private writePrompt(text: string): void {
    if (this.closed) return;
    this.writeText(text);
    this.markPrompt();
    this.atPrompt = true;
  }

  /** The game's "> ", from constant bytes: this runs once per recipient per burst. */
  private writeGamePrompt(): void {
    this.leavePrompt();
    this.output.rawWrite(PROMPT);
    this.markPrompt();
    this.atPrompt = true;
  }

  private markPrompt(): void {
    const mark = MARKS[this.promptMark()];
    if (mark.length) this.output.rawWrite(mark);
  }

  /** IAC EOR for a client that agreed to EOR, else IAC GA unless go-ahead was suppressed. */
  private promptMark(): PromptMark {
    if (this.negotiator.isLocal(OPT.EOR)) return 'eor';
    return this.negotiator.isLocal(OPT.SGA) ? 'none' : 'ga';
  }

  private schedulePrompt(): void {
    this.promptWanted = true;
    this.output.soon();
  }

  /** Just before this turn's bytes leave (output.ts): the prompt after the player's own line. */
  private beforeWrite(): void {
    if (!this.promptWanted) return;
    this.promptWanted = false;
    if (!this.closed && this.session && this.screen.prompts) this.writeGamePrompt();
  }
}

const CRLF = Buffer.from('\r\n');
const PROMPT = Buffer.from('> ');
type PromptMark = 'eor' | 'ga' | 'none';
const MARKS: Record<PromptMark, Buffer> = {
  eor: Buffer.from([IAC, EOR_CMD]),
  ga: Buffer.from([IAC, GA]),
  none: Buffer.alloc(0),
};

/** One event's text on the wire for the recipients who see it alike (one Screen.renderKey). */
class RenderedText {
  private offPrompt: Buffer | null = null;
  constructor(readonly bytes: Buffer) {}

  /** The text for a player sitting at an unmarked prompt: a new line first. Built once. */
  afterPrompt(): Buffer {
    return (this.offPrompt ??= Buffer.concat([CRLF, this.bytes]));
  }
}
