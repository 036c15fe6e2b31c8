// A load-generator telnet player: a plain TCP client that answers no negotiation (the simplest
// client the server must serve), logs in through the text dialogue, then turns the lines it reads
// into events. The arrival time is taken when the bytes reach the socket, before any parsing.
import type { Socket } from 'node:net';
import { ARRIVE, connectSocket, directionWord, LEAVE, LoginError, PlayerState, SAY, SocketReader, type BenchPlayer, type LoginMode } from './player.js';

const IAC = 255;
const SB = 250;
const SE = 240;
const MAX_PENDING_TEXT = 16 * 1024;

const REFUSED = /^(You cannot go|Too much input at once|Huh\?|Something went wrong)/;
const ANSI = /\x1b\[[0-9;]*m/g;

/** Removes telnet commands from a byte stream that may split them across chunks. */
class IacStripper {
  // 0: text, 1: after IAC, 2: after IAC verb (option byte next), 3: in SB, 4: in SB after IAC
  private state = 0;

  strip(chunk: Buffer): Buffer {
    if (this.state === 0 && chunk.indexOf(IAC) < 0) return chunk;
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      switch (this.state) {
        case 0:
          if (b === IAC) this.state = 1;
          else out[n++] = b;
          break;
        case 1:
          if (b === IAC) {
            out[n++] = IAC;
            this.state = 0;
          } else if (b >= 251 && b <= 254) this.state = 2;
          else if (b === SB) this.state = 3;
          else this.state = 0; // GA, EOR, NOP...
          break;
        case 2:
          this.state = 0;
          break;
        case 3:
          if (b === IAC) this.state = 4;
          break;
        case 4:
          this.state = b === SE ? 0 : 3;
          break;
      }
    }
    return out.subarray(0, n);
  }
}

export class TelnetPlayer extends PlayerState implements BenchPlayer {
  readonly door = 'telnet' as const;
  private readonly iac = new IacStripper();
  private partial = '';
  /** Text not yet consumed by the login dialogue (bounded). */
  private loginText = '';
  private inGame = false;

  private constructor(
    private readonly socket: Socket,
    readonly shown: string,
    reader: SocketReader,
  ) {
    super();
    reader.attach((chunk) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.markClosed());
  }

  /** Connects and goes through the login dialogue; resolves once the player stands in the game. */
  static async login(
    port: number,
    host: string,
    name: { login: string; shown: string },
    password: string,
    mode: LoginMode,
    timeoutMs: number,
  ): Promise<TelnetPlayer> {
    let opened: TelnetPlayer | null = null;
    try {
      const reader = new SocketReader();
      const player = (opened = new TelnetPlayer(await connectSocket(port, host, timeoutMs, reader), name.shown, reader));
      const deadline = performance.now() + timeoutMs;
      const left = () => Math.max(0, deadline - performance.now());
      await player.expect(/name/i, left());
      player.command(name.login);
      const answer = await player.expect(/\(y\/n\)|password/i, left());
      if (/y\/n/i.test(answer)) {
        if (mode === 'login') throw new Error('the server does not know this name');
        player.command('y');
        await player.expect(/password/i, left());
        player.command(password);
        await player.expect(/password/i, left());
        player.command(password);
      } else {
        if (mode === 'register') throw new Error('the name is taken');
        player.command(password);
      }
      if (!(await player.changed.until(() => player.inGame || player.closed, left()))) throw new Error('no room view after the password');
      if (!player.inGame) throw new Error(`closed during login: ${player.loginText.trim().split('\n').pop() ?? ''}`);
      return player;
    } catch (err) {
      opened?.close();
      throw new LoginError(name.shown, (err as Error).message);
    }
  }

  command(text: string): number {
    const t = performance.now();
    if (!this.socket.destroyed) this.socket.write(text + '\r\n');
    return t;
  }

  close(): void {
    this.socket.destroy();
  }

  private async expect(re: RegExp, timeoutMs: number): Promise<string> {
    let found: RegExpExecArray | null = null;
    const ok = await this.changed.until(() => {
      found = re.exec(this.loginText);
      return found !== null || this.closed;
    }, timeoutMs);
    const m = found as RegExpExecArray | null;
    if (!m) throw new Error(ok ? `closed while waiting for ${re}` : `timed out waiting for ${re}; got: ${JSON.stringify(this.loginText.slice(-200))}`);
    this.loginText = this.loginText.slice(m.index + m[0].length);
    return m[0];
  }

  private onData(chunk: Buffer): void {
    const t = performance.now();
    this.lastRx = t;
    const text = this.iac.strip(chunk).toString('utf8');
    const loggingIn = !this.inGame;
    if (loggingIn) this.loginText = (this.loginText + text).slice(-MAX_PENDING_TEXT);
    let data = this.partial + text;
    let nl = data.indexOf('\n');
    while (nl >= 0) {
      this.onLine(data.slice(0, nl), t);
      data = data.slice(nl + 1);
      nl = data.indexOf('\n');
    }
    // A prompt has no newline: the next burst continues after it, so keep only a bounded tail.
    this.partial = data.length > MAX_PENDING_TEXT ? '' : data;
    if (loggingIn) this.changed.poke();
  }

  private onLine(raw: string, t: number): void {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.includes('\x1b')) line = line.replace(ANSI, '');
    while (line.startsWith('> ')) line = line.slice(2);
    if (!this.inGame) {
      if (line.startsWith('Exits:')) this.inGame = true;
      return;
    }
    const first = line.charCodeAt(0);
    // Every notice we read starts with a capitalised name or "You"/"Exits".
    if (!(first >= 65 && first <= 90)) return;
    if (line.startsWith('Exits:')) return this.onEvent({ kind: 'room', roomId: null, t });
    let m = SAY.exec(line);
    if (m) return this.onEvent({ kind: 'say', from: m[1]!, text: m[2]!, t });
    m = LEAVE.exec(line);
    if (m) return this.onEvent({ kind: 'leave', who: m[1]!, dir: directionWord(m[2]), roomId: null, t });
    m = ARRIVE.exec(line);
    if (m) return this.onEvent({ kind: 'enter', who: m[1]!, dir: directionWord(m[2]), roomId: null, t });
    if (REFUSED.test(line)) this.onEvent({ kind: 'refused', text: line, t });
  }
}
