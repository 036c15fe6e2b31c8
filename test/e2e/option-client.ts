// A MUD client in miniature for the e2e suites: it answers option negotiation as told, inflates
// MCCP2 itself and records text and GMCP. Written from the RFCs, not from the server's code.
import { connect, type Socket } from 'node:net';
import { constants, inflateSync } from 'node:zlib';
import { TELNET } from './harness.js';

const { IAC, DONT, DO, WONT, WILL, SB, SE } = TELNET;
export const OPT = { TTYPE: 24, NAWS: 31, CHARSET: 42, MSSP: 70, MCCP2: 86, GMCP: 201 } as const;
const ANSI = /\x1b\[[0-9;]*m/g;

export interface Gmcp {
  name: string;
  data: unknown;
}

/**
 * A MUD client in miniature: agrees to the server options in `accept` (DO), refuses the rest
 * (DONT) and refuses every DO (WONT), each at most once per state; inflates an MCCP2 stream;
 * records text, GMCP messages and every subnegotiation.
 */
export class OptionClient {
  readonly socket: Socket;
  closed = false;
  /** Compressed bytes received, over all MCCP2 streams. */
  compressedBytes = 0;
  /** MCCP2 streams that ended cleanly (Z_FINISH). */
  streamsEnded = 0;
  readonly gmcp: Gmcp[] = [];
  readonly subnegotiations: Array<{ option: number; payload: Buffer }> = [];
  readonly negotiations: Array<[verb: number, option: number]> = [];
  private readonly data: number[] = [];
  private readIndex = 0;
  private gmcpIndex = 0;
  private waiters: Array<() => void> = [];
  private readonly answered = new Map<string, boolean>();
  // telnet parser state
  private state: 'data' | 'iac' | 'verb' | 'sb' | 'sbiac' = 'data';
  private verb = 0;
  private sb: number[] = [];
  // MCCP2: compressed bytes of the current stream, and how much of its output was parsed
  private zlib: Buffer | null = null;
  private inflated = 0;

  private constructor(
    socket: Socket,
    private readonly accept: ReadonlySet<number>,
  ) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.receive(chunk);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async connect(port: number, accept: number[] = []): Promise<OptionClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new OptionClient(socket, new Set(accept));
  }

  get compressing(): boolean {
    return this.zlib !== null;
  }

  /** Text seen so far, without telnet commands and colours, CRLF as \n. */
  get text(): string {
    return Buffer.from(this.data).toString('utf8').replace(ANSI, '').replace(/\r\n/g, '\n');
  }

  get unread(): string {
    return this.text.slice(this.readIndex);
  }

  send(line: string): void {
    this.socket.write(line + '\r\n');
  }

  write(bytes: number[] | Buffer): void {
    this.socket.write(Buffer.from(bytes));
  }

  sendGmcp(message: string): void {
    this.write(Buffer.concat([Buffer.from([IAC, SB, OPT.GMCP]), Buffer.from(message, 'utf8'), Buffer.from([IAC, SE])]));
  }

  async until<T>(check: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found !== undefined && found !== false) return found;
      if (this.closed) throw new Error(`connection closed while waiting for ${what}; unread:\n${this.unread}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; unread:\n${this.unread}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits until the unread text matches; consumes it up to the end of the match. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<RegExpExecArray> {
    const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : pattern;
    return this.until(
      () => {
        const m = re.exec(this.unread);
        if (!m) return undefined;
        this.readIndex += m.index + m[0].length;
        return m;
      },
      String(re),
      timeoutMs,
    );
  }

  /** Waits for the next GMCP message called `name` (after the last one waited for) that matches. */
  waitGmcp(name: string, match: (data: unknown) => boolean = () => true): Promise<Gmcp> {
    return this.until(() => {
      for (let i = this.gmcpIndex; i < this.gmcp.length; i++) {
        const m = this.gmcp[i]!;
        if (m.name === name && match(m.data)) {
          this.gmcpIndex = i + 1;
          return m;
        }
      }
      return undefined;
    }, `GMCP ${name}`);
  }

  /** GMCP messages received after the last one waited for. */
  get unreadGmcp(): Gmcp[] {
    return this.gmcp.slice(this.gmcpIndex);
  }

  async login(name: string, password = 'secret-pass'): Promise<void> {
    await this.waitFor(/name/i);
    this.send(name);
    const m = await this.waitFor(/\(y\/n\)|password/i);
    if (/y\/n/i.test(m[0])) {
      this.send('y');
      await this.waitFor(/password/i);
      this.send(password);
      await this.waitFor(/password/i);
    }
    this.send(password);
    await this.waitFor(/Exits:[^\n]*\n(?:Also here:[^\n]*\n)?> /);
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private receive(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.zlib) {
        this.zlib = Buffer.concat([this.zlib, chunk.subarray(i)]);
        this.compressedBytes += chunk.length - i;
        i = chunk.length;
        this.inflate();
      } else {
        this.parse(chunk[i++]!);
        if (this.startZlib) {
          this.startZlib = false;
          this.zlib = Buffer.alloc(0);
          this.inflated = 0;
        }
      }
    }
  }

  private startZlib = false;

  /** Inflates what we have of the stream; at its end, what follows is plain telnet again. */
  private inflate(): void {
    const z = this.zlib!;
    let complete: { buffer: Buffer; engine: { bytesWritten: number } } | null = null;
    try {
      // Throws unless the stream is complete (ended by Z_FINISH).
      complete = inflateSync(z, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    } catch {
      complete = null;
    }
    if (complete) {
      for (const b of complete.buffer.subarray(this.inflated)) this.parse(b);
      this.zlib = null;
      this.streamsEnded++;
      this.receive(z.subarray(complete.engine.bytesWritten));
      return;
    }
    const out = inflateSync(z, { finishFlush: constants.Z_SYNC_FLUSH });
    for (const b of out.subarray(this.inflated)) this.parse(b);
    this.inflated = out.length;
  }

  private parse(b: number): void {
    switch (this.state) {
      case 'data':
        if (b === IAC) this.state = 'iac';
        else this.data.push(b);
        return;
      case 'iac':
        if (b === IAC) {
          this.data.push(b);
          this.state = 'data';
        } else if (b >= WILL && b <= DONT) {
          this.verb = b;
          this.state = 'verb';
        } else if (b === SB) {
          this.sb = [];
          this.state = 'sb';
        } else this.state = 'data';
        return;
      case 'verb':
        this.state = 'data';
        this.negotiate(this.verb, b);
        return;
      case 'sb':
        if (b === IAC) this.state = 'sbiac';
        else this.sb.push(b);
        return;
      case 'sbiac':
        if (b === SE) {
          this.state = 'data';
          this.subnegotiation(this.sb[0]!, Buffer.from(this.sb.slice(1)));
        } else {
          if (b === IAC) this.sb.push(IAC);
          this.state = 'sb';
        }
    }
  }

  private negotiate(verb: number, option: number): void {
    this.negotiations.push([verb, option]);
    const side = verb === WILL || verb === WONT ? 'server' : 'client';
    const on = (verb === WILL || verb === DO) && side === 'server' && this.accept.has(option);
    const key = `${side}:${option}`;
    if (this.answered.get(key) === on) return;
    this.answered.set(key, on);
    if (side === 'server') this.write([IAC, on ? DO : DONT, option]);
    else this.write([IAC, WONT, option]);
  }

  private subnegotiation(option: number, payload: Buffer): void {
    this.subnegotiations.push({ option, payload });
    if (option === OPT.MCCP2 && payload.length === 0) this.startZlib = true;
    if (option === OPT.GMCP) {
      const text = payload.toString('utf8');
      const sp = text.indexOf(' ');
      this.gmcp.push(sp < 0 ? { name: text, data: undefined } : { name: text.slice(0, sp), data: JSON.parse(text.slice(sp + 1)) });
    }
  }
}

