// The optional telnet options of PROTOCOL.md section 3 against the real server: GMCP, MSSP,
// MCCP2 and CHARSET, with a raw TCP client driven byte by byte that inflates MCCP2 itself.
import { connect, type Socket } from 'node:net';
import { constants, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../../server/world/load.js';
import { removeDir, startServer, telnetLogin, type ServerProcess, TELNET } from './harness.js';

const { IAC, DONT, DO, WONT, WILL, SB, SE } = TELNET;
const OPT = { TTYPE: 24, NAWS: 31, CHARSET: 42, MSSP: 70, MCCP2: 86, GMCP: 201 } as const;
const ANSI = /\x1b\[[0-9;]*m/g;

const world = loadWorld();
const num = (id: string) => world.rooms.get(id)!.num;

interface Gmcp {
  name: string;
  data: unknown;
}

/**
 * A MUD client in miniature: agrees to the server options in `accept` (DO), refuses the rest
 * (DONT) and refuses every DO (WONT), each at most once per state; inflates an MCCP2 stream;
 * records text, GMCP messages and every subnegotiation.
 */
class OptionClient {
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

/** MSSP's VAR/VAL pairs. */
function msspPairs(payload: Buffer): Map<string, string> {
  const vars = new Map<string, string>();
  const text = payload.toString('utf8');
  for (const part of text.split('\x01').slice(1)) {
    const [name, value] = part.split('\x02');
    vars.set(name!, value ?? '');
  }
  return vars;
}

/** Waits (bounded) for the server's log, which reaches us through a pipe after the socket data. */
async function logged(pattern: RegExp): Promise<void> {
  for (let i = 0; i < 200 && !pattern.test(server.stderr()); i++) await new Promise((r) => setTimeout(r, 50));
  expect(server.stderr()).toMatch(pattern);
}

let server: ServerProcess;
const clients: OptionClient[] = [];
const open = async (accept: number[] = []) => {
  const c = await OptionClient.connect(server.telnetPort, accept);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
  removeDir(server.dataDir);
});

// First in the file: PLAYERS must count exactly the players logged in here.
describe('MSSP', () => {
  it('answers DO MSSP with NAME, PLAYERS (online now), UPTIME and PORT; and a plain-text MSSP-REQUEST', async () => {
    const a = await telnetLogin(server.telnetPort, 'whateley');
    const b = await telnetLogin(server.telnetPort, 'marsh');
    const crawler = await open([OPT.MSSP]);
    const mssp = await crawler.until(() => crawler.subnegotiations.find((s) => s.option === OPT.MSSP), 'MSSP');
    const vars = msspPairs(mssp.payload);
    expect(vars.get('NAME')).toBe('MythosMUD');
    expect(vars.get('PLAYERS')).toBe('2');
    expect(vars.get('PORT')).toBe(String(server.telnetPort));
    expect(vars.get('CODEBASE')).toBe('MythosMUD');
    expect(vars.get('ROOMS')).toBe(String(world.rooms.size));
    expect(vars.get('AREAS')).toBe(String(world.areas.size));
    const uptime = Number(vars.get('UPTIME'));
    expect(uptime).toBeLessThanOrEqual(Date.now() / 1000);
    expect(uptime).toBeGreaterThan(Date.now() / 1000 - 3600);

    // The plain-text form, as crawlers that do not negotiate ask for it.
    const plain = await open();
    await plain.waitFor(/name/i);
    plain.send('MSSP-REQUEST');
    const reply = await plain.waitFor(/MSSP-REPLY-START\n([\s\S]*?)MSSP-REPLY-END\n/);
    expect(reply[1]).toContain('NAME\tMythosMUD\n');
    expect(reply[1]).toContain('PLAYERS\t2\n');
    // ... and the login still works afterwards.
    plain.send('zadok');
    await plain.waitFor('(y/n)');

    // Link-dead bodies (their players dropped) are not counted as online.
    a.close();
    b.close();
    let players = '';
    for (let i = 0; i < 20 && players !== '0'; i++) {
      const again = await open([OPT.MSSP]);
      const reply = await again.until(() => again.subnegotiations.find((s) => s.option === OPT.MSSP), 'MSSP');
      players = msspPairs(reply.payload).get('PLAYERS') ?? '';
      again.close();
      if (players !== '0') await new Promise((r) => setTimeout(r, 100));
    }
    expect(players).toBe('0');
  });
});

describe('GMCP', () => {
  it('sends Char.Name and Room.Info (num, exits by num) on login and Room.Info after a move', async () => {
    const c = await open([OPT.GMCP]);
    await c.until(() => c.negotiations.some(([v, o]) => v === WILL && o === OPT.GMCP), 'WILL GMCP');
    c.sendGmcp('Core.Hello {"client":"OptionClient","version":"1.0"}');
    await c.login('olmstead');
    expect((await c.waitGmcp('Char.Name')).data).toEqual({ name: 'Olmstead', fullname: 'Olmstead' });
    const start = await c.waitGmcp('Room.Info');
    expect(start.data).toEqual({
      num: num('arkham_downtown_001'),
      name: 'Independence Square',
      area: 'Downtown Arkham',
      exits: {
        n: num('arkham_downtown_002'),
        s: num('arkham_downtown_009'),
        e: num('arkham_downtown_004'),
        w: num('arkham_downtown_006'),
      },
    });
    const players = (await c.waitGmcp('Room.Players')).data as Array<{ name: string }>;
    expect(players.map((p) => p.name)).toContain('Olmstead');

    c.send('north');
    const moved = await c.waitGmcp('Room.Info');
    const garrison = world.rooms.get('arkham_downtown_002')!;
    const exits = Object.fromEntries(
      Object.entries(garrison.exits).map(([dir, id]) => [({ north: 'n', south: 's', east: 'e', west: 'w' } as Record<string, string>)[dir]!, num(id)]),
    );
    expect(moved.data).toEqual({ num: garrison.num, name: garrison.name, area: 'Downtown Arkham', exits });
    await c.waitFor('Garrison Street');
    await logged(/"client":"OptionClient","version":"1.0".*"msg":"gmcp client"/);
    c.send('south');
    await c.waitGmcp('Room.Info', (d) => (d as { num: number }).num === num('arkham_downtown_001'));
  });

  it('shows others coming and going as Room.AddPlayer / Room.RemovePlayer, and speech as Comm.Channel.Text', async () => {
    const a = await open([OPT.GMCP]);
    await a.login('lavinia');
    await a.waitGmcp('Room.Players');
    const b = await telnetLogin(server.telnetPort, 'curwen');
    expect((await a.waitGmcp('Room.AddPlayer', (d) => (d as { name: string }).name === 'Curwen')).data).toEqual({
      name: 'Curwen',
      fullname: 'Curwen',
    });
    b.send('north');
    expect((await a.waitGmcp('Room.RemovePlayer', (d) => d === 'Curwen')).data).toBe('Curwen');
    b.send('south');
    await a.waitGmcp('Room.AddPlayer', (d) => (d as { name: string }).name === 'Curwen');
    b.send('say the stars are right');
    expect((await a.waitGmcp('Comm.Channel.Text')).data).toEqual({
      channel: 'say',
      talker: 'Curwen',
      text: 'Curwen says, "the stars are right"',
    });
    a.send('say not yet');
    expect((await a.waitGmcp('Comm.Channel.Text')).data).toEqual({ channel: 'say', talker: 'Lavinia', text: 'You say, "not yet"' });
    await b.waitFor('Lavinia says, "not yet"'); // the plain client still sees plain text
    b.send('quit');
    await a.waitGmcp('Room.RemovePlayer', (d) => d === 'Curwen');
    await b.waitClosed();
  });

  it('after Core.Supports.Set sends only the packages named', async () => {
    const c = await open([OPT.GMCP]);
    await c.until(() => c.negotiations.some(([v, o]) => v === WILL && o === OPT.GMCP), 'WILL GMCP');
    c.sendGmcp('Core.Supports.Set ["Room 1"]');
    await c.login('peaslee');
    await c.waitGmcp('Room.Info');
    await c.waitGmcp('Room.Players');
    c.send('say only rooms');
    await c.waitFor(/You say, "only rooms"\n> /);
    // The GMCP of an event leaves in the same write as its text, so it would be here by now.
    expect(c.gmcp.map((m) => m.name).filter((n) => !n.startsWith('Room.'))).toEqual([]);
    c.sendGmcp('Core.Supports.Add ["Comm.Channel 1"]');
    c.send('say and talk');
    expect((await c.waitGmcp('Comm.Channel.Text')).data).toMatchObject({ talker: 'Peaslee', text: 'You say, "and talk"' });
    expect(c.gmcp.some((m) => m.name.startsWith('Char.'))).toBe(false);
  });

  it('ignores malformed GMCP (no package, bad JSON, 100 KB, unknown package) and the client plays on', async () => {
    const c = await open([OPT.GMCP]);
    await c.login('wilbur');
    await c.waitGmcp('Room.Info');
    c.sendGmcp('Hello');
    c.sendGmcp('Core.Hello {"client": ');
    c.sendGmcp(`Core.Hello {"client":"${'x'.repeat(100 * 1024)}"}`);
    c.sendGmcp('Char.Skills.Get {"group":"x"}');
    c.sendGmcp('');
    c.write([IAC, SB, OPT.GMCP, IAC, IAC, 0x2e, IAC, SE]);
    c.send('look');
    await c.waitFor(/Independence Square\n/);
    await c.waitGmcp('Room.Info'); // GMCP still flows
    c.send('say still here');
    await c.waitFor('You say, "still here"');
    expect(server.proc.exitCode).toBeNull();
    await logged(/"why":"invalid JSON".*"msg":"gmcp message ignored"/);
    await logged(/"why":"no Package.Message name".*"msg":"gmcp message ignored"/);
    await logged(/"why":"unknown message".*"msg":"gmcp message ignored"/);
    await logged(/subnegotiation of option 201 over \d+ bytes, dropped/);
    // And the server still takes new players.
    const d = await telnetLogin(server.telnetPort, 'sawyer');
    d.close();
  });
});

describe('MCCP2', () => {
  it('after DO MCCP2 everything inflates to the game text; a second player still gets plain text; DONT ends it', async () => {
    const z = await open([OPT.MCCP2, OPT.GMCP]);
    await z.until(() => z.compressing, 'the MCCP2 stream to start');
    await z.login('derby');
    expect(z.compressedBytes).toBeGreaterThan(0);
    expect(z.text).toContain('Independence Square');
    await z.waitGmcp('Room.Info'); // GMCP inside the compressed stream

    const p = await telnetLogin(server.telnetPort, 'gilman');
    expect(p.bytes.includes(Buffer.from('Independence Square'))).toBe(true); // plain bytes on the wire
    await z.waitFor('Gilman has entered the game.');
    p.send('say can you read me');
    await z.waitFor('Gilman says, "can you read me"');

    const before = z.compressedBytes;
    z.write([IAC, DONT, OPT.MCCP2]);
    await z.until(() => z.streamsEnded === 1, 'the stream to end');
    expect(z.negotiations.some(([v, o]) => v === WONT && o === OPT.MCCP2)).toBe(true);
    z.send('look');
    await z.waitFor(/Independence Square\n/);
    expect(z.compressing).toBe(false);
    const compressedNow = z.compressedBytes;
    expect(compressedNow).toBeGreaterThan(before);
    p.send('say plain again');
    await z.waitFor('Gilman says, "plain again"');
    expect(z.compressedBytes).toBe(compressedNow);
    p.close();
  });

  it('a compressed client that quits gets its goodbye: the stream is finished before the socket closes', async () => {
    const z = await open([OPT.MCCP2]);
    await z.login('armitage');
    expect(z.compressing).toBe(true);
    z.send('quit');
    await z.until(() => z.closed, 'the close');
    expect(z.streamsEnded).toBe(1);
    expect(z.text).toMatch(/Goodbye/i);
  });
});

describe('CHARSET', () => {
  it('requests UTF-8, takes ACCEPTED, and answers the client’s own REQUEST', async () => {
    const c = await open([OPT.CHARSET]);
    const request = await c.until(() => c.subnegotiations.find((s) => s.option === OPT.CHARSET), 'CHARSET REQUEST');
    expect([...request.payload]).toEqual([1, ...Buffer.from(';UTF-8')]);
    c.write([IAC, SB, OPT.CHARSET, 2, ...Buffer.from('UTF-8'), IAC, SE]);
    c.write([IAC, SB, OPT.CHARSET, 1, ...Buffer.from(' ISO-8859-1 UTF-8'), IAC, SE]);
    const accepted = await c.until(() => c.subnegotiations.filter((s) => s.option === OPT.CHARSET)[1], 'ACCEPTED');
    expect([...accepted.payload]).toEqual([2, ...Buffer.from('UTF-8')]);
    c.write([IAC, SB, OPT.CHARSET, 1, ...Buffer.from(';KOI8-R'), IAC, SE]);
    const rejected = await c.until(() => c.subnegotiations.filter((s) => s.option === OPT.CHARSET)[2], 'REJECTED');
    expect([...rejected.payload]).toEqual([3]);
    await c.login('keziah');
    c.send('say ünïcode ✓');
    await c.waitFor('You say, "ünïcode ✓"');
  });
});

describe('a client that refuses every option', () => {
  it('plays normally and never sees a negotiation byte as text', async () => {
    const c = await open([]);
    await c.login('mason');
    c.send('east');
    await c.waitFor('Main Street, East Block');
    c.send('say refusing');
    await c.waitFor('You say, "refusing"');
    const refused = c.negotiations.filter(([v]) => v === WILL).map(([, o]) => o);
    expect(refused).toEqual(expect.arrayContaining([OPT.MCCP2, OPT.GMCP, OPT.MSSP, OPT.CHARSET]));
    expect(c.subnegotiations.filter((s) => [OPT.MCCP2, OPT.GMCP, OPT.MSSP, OPT.CHARSET].includes(s.option as 42))).toEqual([]);
    expect(c.compressedBytes).toBe(0);
    // Nothing but printable text, newlines and colour escapes.
    expect(c.text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\ufffd]/);
  });
});
