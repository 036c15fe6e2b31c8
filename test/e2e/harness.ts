// End-to-end harness: the real server as a child process on port 0 with a temporary data dir, and
// a plain TCP telnet client that records what a player would see. Shared by the e2e suites.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MYTHOS = join(ROOT, 'bin', 'mythos.js');

export interface ServerProcess {
  proc: ChildProcess;
  telnetPort: number;
  wsPort: number;
  dataDir: string;
  wsUrl: string;
  httpUrl: string;
  /** Everything the server wrote to stderr (its JSON log). */
  stderr(): string;
  /** SIGTERM (or the given signal) and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'mythos-test-'));
}

export async function startServer(
  // An env value of undefined removes that variable.
  opts: { dataDir?: string; env?: Record<string, string | undefined>; args?: string[] } = {},
): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const proc = spawn(
    process.execPath,
    [MYTHOS, 'serve', '--telnet-port', '0', '--ws-port', '0', '--data-dir', dataDir, ...(opts.args ?? [])],
    {
      cwd: ROOT,
      // No SIGTERM countdown unless a test asks for one: stop() means stop.
      env: { ...process.env, MYTHOS_LOG_LEVEL: 'debug', MYTHOS_SHUTDOWN_GRACE_S: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const ports = await new Promise<{ telnet: number; ws: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time; stderr:\n${err}`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const t = /telnet listening on [\d.]+:(\d+)/.exec(out);
      const w = /websocket listening on ws:\/\/[\d.]+:(\d+)\/ws/.exec(out);
      if (t && w) {
        clearTimeout(timer);
        resolve({ telnet: Number(t[1]), ws: Number(w[1]) });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening; stderr:\n${err}`));
    });
  });
  return {
    proc,
    telnetPort: ports.telnet,
    wsPort: ports.ws,
    dataDir,
    wsUrl: `ws://127.0.0.1:${ports.ws}/ws`,
    httpUrl: `http://127.0.0.1:${ports.ws}`,
    stderr: () => err,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/**
 * A server of its own for the describe block this is called in: started before its tests, stopped
 * and its data dir removed after them. Returns a getter (the server exists once beforeAll ran).
 */
export function useServer(opts: Parameters<typeof startServer>[0] = {}): () => ServerProcess {
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    server = await startServer(opts);
  });
  afterAll(async () => {
    await server?.stop();
    if (server) removeDir(server.dataDir);
  });
  return () => {
    if (!server) throw new Error('useServer: the server is not started yet (use it inside a test)');
    return server;
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Removes telnet commands (IAC ...) from a byte stream, leaving the text a person would see. */
export function stripTelnet(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 255) {
      out.push(b);
      continue;
    }
    const cmd = bytes[i + 1];
    if (cmd === undefined) break;
    if (cmd === 255) {
      out.push(255);
      i++;
    } else if (cmd >= 251 && cmd <= 254) i += 2;
    else if (cmd === 250) {
      const end = bytes.indexOf(Buffer.from([255, 240]), i);
      i = end < 0 ? bytes.length : end + 1;
    } else i++;
  }
  return Buffer.from(out);
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** A raw TCP client that answers no negotiation: the plainest telnet client there is. */
export class TelnetClient {
  readonly socket: Socket;
  private raw = Buffer.alloc(0);
  private readIndex = 0;
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.raw = Buffer.concat([this.raw, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async connect(port: number): Promise<TelnetClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new TelnetClient(socket);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** All bytes received so far, telnet commands included. */
  get bytes(): Buffer {
    return this.raw;
  }

  /** All text received so far, without telnet commands and colours, CRLF as \n. */
  get text(): string {
    return stripTelnet(this.raw).toString('utf8').replace(ANSI, '').replace(/\r\n/g, '\n');
  }

  /** Text received after the last successful waitFor (or from the start). */
  get unread(): string {
    return this.text.slice(this.readIndex);
  }

  send(line: string): void {
    this.socket.write(line + '\r\n');
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Waits until the unread text matches; consumes up to the end of the match. */
  async waitFor(pattern: RegExp | string, timeoutMs = 10_000): Promise<RegExpExecArray> {
    const re = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern), 'i') : pattern;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.text;
      const m = re.exec(text.slice(this.readIndex));
      if (m) {
        this.readIndex += m.index + m[0].length;
        return m;
      }
      if (this.closed) throw new Error(`connection closed while waiting for ${re}; unread:\n${text.slice(this.readIndex)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${re}; unread:\n${text.slice(this.readIndex)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection did not close');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Creates a character (or logs in, if it exists) and waits for the first prompt in game. With
 * `answers`, the client answers negotiation like a MUD client (answerNegotiation); else not at all.
 */
export async function telnetLogin(port: number, name: string, password = 'secret-pass', answers?: NegotiationAnswers): Promise<TelnetClient> {
  const c = await TelnetClient.connect(port);
  if (answers) answerNegotiation(c, answers);
  await c.waitFor(/name/i);
  c.send(name);
  const m = await c.waitFor(/\(y\/n\)|password/i);
  if (/y\/n/i.test(m[0])) {
    c.send('y');
    await c.waitFor(/password/i);
    c.send(password);
    await c.waitFor(/password/i);
    c.send(password);
  } else {
    c.send(password);
  }
  await c.waitFor(/Exits:[^\n]*\n(?:Also here:[^\n]*\n)?> /);
  return c;
}

/** Waits until `check` holds, re-checking every `intervalMs`; for state that has no event to wait on (a log file). */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** How a scripted client answers the server's option negotiation (see answerNegotiation). */
export interface NegotiationAnswers {
  /** Options the client agrees to perform when the server says DO (answered WILL); others get WONT. */
  will?: number[];
  /** Options the client lets the server perform when it says WILL (answered DO); others get DONT. */
  do?: number[];
  /**
   * Answers DO TTYPE with WILL and each TTYPE SEND with IS the next of `ttype`, repeating the last
   * one at the end of the list, as RFC 1091 clients do (a string: the same answer every time).
   */
  ttype?: string | string[];
  /** Agrees to CHARSET: answers WILL CHARSET with DO and a REQUEST that lists UTF-8 with ACCEPTED. */
  charset?: boolean;
  /** Answers DO NAWS with WILL and this window size. */
  naws?: { width: number; height: number };
}

/**
 * Telnet bytes for the e2e test peers, written out here from RFC 854 and the option RFCs rather
 * than imported from server/telnet/codes.ts: a wrong server constant must not hide in a shared one.
 */
export const TELNET = {
  IAC: 255, DONT: 254, DO: 253, WONT: 252, WILL: 251, SB: 250, GA: 249, AYT: 246, NOP: 241, SE: 240,
  EOR_CMD: 239,
  ECHO: 1, SGA: 3, TTYPE: 24, EOR: 25, NAWS: 31, CHARSET: 42, MSSP: 70, MCCP2: 86, GMCP: 201,
} as const;
const T = TELNET;

/**
 * Makes a raw TelnetClient answer negotiation like a real MUD client would: agree to what
 * `answers` lists, refuse the rest, each option once (RFC 1143: no answer to a repeated request).
 * Answers go out in the same turn as the bytes that asked, before any line the test sends next.
 */
export function answerNegotiation(client: TelnetClient, answers: NegotiationAnswers): void {
  const will = new Set(answers.will ?? []);
  if (answers.ttype !== undefined) will.add(T.TTYPE);
  if (answers.naws) will.add(T.NAWS);
  const dos = new Set(answers.do ?? []);
  if (answers.charset) dos.add(T.CHARSET);
  const ttypes = answers.ttype === undefined ? [] : Array.isArray(answers.ttype) ? answers.ttype : [answers.ttype];
  let ttypeAnswers = 0;
  const us = new Map<number, boolean>(); // what we perform
  const him = new Map<number, boolean>(); // what the server performs
  let state: 'data' | 'iac' | 'verb' | 'sb' | 'sbiac' = 'data';
  let verb = 0;
  let sb: number[] = [];
  const send = (...bytes: number[]) => client.write(Buffer.from(bytes));

  const negotiate = (v: number, opt: number) => {
    if (v === T.DO || v === T.DONT) {
      const on = v === T.DO && will.has(opt);
      if (us.get(opt) === on) return;
      us.set(opt, on);
      send(T.IAC, on ? T.WILL : T.WONT, opt);
      if (on && opt === T.NAWS && answers.naws) {
        const size = Buffer.alloc(4);
        size.writeUInt16BE(answers.naws.width, 0);
        size.writeUInt16BE(answers.naws.height, 2);
        send(T.IAC, T.SB, T.NAWS, ...size, T.IAC, T.SE);
      }
    } else {
      const on = v === T.WILL && dos.has(opt);
      if (him.get(opt) === on) return;
      him.set(opt, on);
      send(T.IAC, on ? T.DO : T.DONT, opt);
    }
  };
  const subnegotiation = (payload: number[]) => {
    if (payload[0] === T.TTYPE && payload[1] === 1 && ttypes.length > 0) {
      const name = ttypes[Math.min(ttypeAnswers++, ttypes.length - 1)]!;
      send(T.IAC, T.SB, T.TTYPE, 0, ...Buffer.from(name, 'latin1'), T.IAC, T.SE);
    }
    // CHARSET REQUEST (1) [sep] names...: accept UTF-8 if it is listed.
    if (payload[0] === T.CHARSET && payload[1] === 1 && answers.charset && /utf-8/i.test(Buffer.from(payload.slice(2)).toString('latin1'))) {
      send(T.IAC, T.SB, T.CHARSET, 2, ...Buffer.from('UTF-8', 'latin1'), T.IAC, T.SE);
    }
  };

  client.socket.on('data', (chunk: Buffer) => {
    for (const b of chunk) {
      switch (state) {
        case 'data':
          if (b === T.IAC) state = 'iac';
          break;
        case 'iac':
          if (b >= T.WILL && b <= T.DONT) {
            verb = b;
            state = 'verb';
          } else if (b === T.SB) {
            sb = [];
            state = 'sb';
          } else state = 'data';
          break;
        case 'verb':
          negotiate(verb, b);
          state = 'data';
          break;
        case 'sb':
          if (b === T.IAC) state = 'sbiac';
          else if (sb.length < 4096) sb.push(b);
          break;
        case 'sbiac':
          if (b === T.SE) {
            subnegotiation(sb);
            state = 'data';
          } else {
            if (b === T.IAC) sb.push(b);
            state = 'sb';
          }
          break;
      }
    }
  });
}

/** Where `needle` occurs in `haystack`, every time. */
export function indexesOf(haystack: Buffer, needle: Buffer | number[]): number[] {
  const n = Buffer.isBuffer(needle) ? needle : Buffer.from(needle);
  const found: number[] = [];
  for (let i = haystack.indexOf(n); i >= 0; i = haystack.indexOf(n, i + 1)) found.push(i);
  return found;
}
