// Hostile and broken telnet input, end to end. For each: the server stays up, a bystander in the
// same room sees nothing of it and can still play, and the offender gets a notice (or is cut off).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  removeDir,
  startServer,
  stripTelnet,
  TelnetClient,
  telnetLogin,
  waitUntil,
  type ServerProcess,
  TELNET,
} from './harness.js';

const { IAC, SE, NOP, AYT, SB, WILL, WONT, DO, DONT, NAWS, TTYPE } = TELNET;
const CRLF = Buffer.from('\r\n');

/** The end of a room view and the prompt (`Also here:` may be long, or wrapped). */
const ROOM_END = /\nExits:[^\n]*\n(?:Also here:[^>]*)?> /;
/** What no player should ever be shown: control characters (but newline), replacement characters. */
const UNCLEAN = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ufffd]/;

let server: ServerProcess;
let bystander: TelnetClient;
let checks = 0;

beforeAll(async () => {
  server = await startServer();
  bystander = await telnetLogin(server.telnetPort, 'wilmarth');
});
afterAll(async () => {
  bystander?.close();
  await server.stop();
  removeDir(server.dataDir);
});

/** Starts watching what the bystander is shown; `done()` proves they still play and returns it. */
function watchBystander(): { done(): Promise<string> } {
  const mark = bystander.text.length;
  return {
    async done() {
      const tag = `still here ${++checks}`;
      bystander.send(`say ${tag}`);
      await bystander.waitFor(`You say, "${tag}"`);
      expect(server.proc.exitCode).toBeNull();
      return bystander.text.slice(mark);
    },
  };
}

/** The lines the bystander saw that are about `name`, other than coming and going. */
function aboutOffender(seen: string, name: string): string[] {
  return seen
    .split('\n')
    .map((l) => l.replace(/^(?:> )+/, ''))
    .filter((l) => l.includes(name))
    .filter((l) => !/has entered the game|lost their link|has left the game|fade from Arkham/.test(l));
}

async function offender(name: string): Promise<TelnetClient> {
  const c = await telnetLogin(server.telnetPort, name);
  c.socket.setNoDelay(true);
  await bystander.waitFor(`${name} has entered the game.`);
  return c;
}

/**
 * Sends `line` until its answer comes, at most 20 times, a second apart: after a flood the input
 * queue drops lines until it has room, and which line is the first to fit is timing.
 */
async function untilAnswered(c: TelnetClient, line: string, answer: RegExp): Promise<void> {
  for (let i = 0; ; i++) {
    c.send(line);
    try {
      await c.waitFor(answer, 1000);
      return;
    } catch (err) {
      if (i >= 19 || c.closed) throw err;
    }
  }
}

/** Lets the server read what was written so far on its own, so the next write is another TCP read. */
async function packetBoundary(c: TelnetClient): Promise<void> {
  await new Promise<void>((resolve) => c.socket.write(Buffer.alloc(0), () => resolve()));
  await new Promise((r) => setTimeout(r, 50));
}

/** Deterministic junk (mulberry32), so a failure can be replayed byte for byte. */
function junk(seed: number, length: number): Buffer {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const out: number[] = [];
  while (out.length < length) {
    const r = next();
    if (r < 0.04) out.push(IAC);
    else if (r < 0.06) out.push(IAC, IAC, IAC); // an odd run: one escaped 0xFF and a dangling IAC
    else if (r < 0.08) out.push(0);
    else if (r < 0.09) out.push(13, 0); // CR NUL: a line end
    else if (r < 0.1) out.push(10);
    else out.push(Math.floor(next() * 256));
  }
  for (let i = 0; i < out.length; i++) {
    const b = out[i]!;
    // Nothing that would make a (legitimate) say/emote visible to others: that is not junk.
    if (b === 0x27 || b === 0x22 || b === 0x3a) out[i] = 0x2e;
    // Asking the server to *start* an option (DO MCCP2...) is a real request, not garbage.
    if (b === IAC && (out[i + 1] === DO || out[i + 1] === WILL)) out[i + 1] = out[i + 1] === DO ? DONT : WONT;
  }
  return Buffer.from(out);
}

describe('telnet: bad input', () => {
  it('random junk with 0xFF runs and NULs, in game and at the login prompt', async () => {
    const w = watchBystander();
    const o = await offender('Junkman');
    // Ends any subnegotiation or half line the junk left open, then a real command.
    o.write(Buffer.concat([junk(1926, 8192), Buffer.from([IAC, SE]), CRLF]));
    await o.waitFor(/Huh\?/); // junk lines are answered with a hint
    // So many junk lines may also fill the input queue: the command may be dropped until it has room.
    await untilAnswered(o, 'look', /Independence Square\n[^\n]+\nExits:/);
    const seen = await w.done();
    expect(aboutOffender(seen, 'Junkman')).toEqual([]);
    expect(seen).not.toMatch(UNCLEAN);

    const early = await TelnetClient.connect(server.telnetPort);
    await early.waitFor(/name/i);
    early.write(Buffer.concat([junk(1692, 4096), Buffer.from([IAC, SE]), CRLF, CRLF]));
    // The dialogue goes on (some prompt again) or the connection is closed; nothing else.
    await Promise.race([early.waitFor(/name|password|\(y\/n\)/i), early.waitClosed()]);
    early.close();
    const fresh = await telnetLogin(server.telnetPort, 'Afterjunk');
    fresh.close();
    o.close();
  });

  it('an IAC split from its command across TCP reads still parses', async () => {
    const w = watchBystander();
    const o = await offender('Splitter');
    o.write(Buffer.concat([Buffer.from('say one'), Buffer.from([IAC])]));
    await packetBoundary(o);
    o.write(Buffer.concat([Buffer.from([AYT]), CRLF])); // IAC AYT: "are you there?"
    await o.waitFor(/yes, we are here/i);
    await bystander.waitFor('Splitter says, "one"');
    // A negotiation and a window size cut into three reads.
    o.write(Buffer.from([IAC, WILL]));
    await packetBoundary(o);
    o.write(Buffer.from([NAWS, IAC, SB, NAWS, 0, 50]));
    await packetBoundary(o);
    o.write(Buffer.from([0, 24, IAC, SE]));
    o.send('look');
    const view = await o.waitFor(/Independence Square\n([\s\S]*?)\nExits:/);
    const lines = view[1]!.split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(50);
    const seen = await w.done();
    expect(aboutOffender(seen, 'Splitter')).toEqual(['Splitter says, "one"']);
    expect(seen).not.toMatch(UNCLEAN);
    o.close();
  });

  it('a subnegotiation never closed swallows what follows until the next IAC, and nothing else', async () => {
    const w = watchBystander();
    const o = await offender('Opener');
    o.write(Buffer.concat([Buffer.from([IAC, SB, TTYPE]), Buffer.from('xterm\r\nsay swallowed\r\n')]));
    await packetBoundary(o);
    // Any IAC command ends the broken subnegotiation; play goes on.
    o.write(Buffer.concat([Buffer.from([IAC, NOP]), Buffer.from('say back again\r\n')]));
    await bystander.waitFor('Opener says, "back again"');
    const seen = await w.done();
    expect(seen).not.toMatch(/swallowed/);
    expect(aboutOffender(seen, 'Opener')).toEqual(['Opener says, "back again"']);
    o.close();
  });

  it('a 100 KB subnegotiation is dropped without harm', async () => {
    const w = watchBystander();
    const o = await offender('Hugesb');
    const payload = Buffer.alloc(100 * 1024, 'say leaked\r\n');
    o.write(Buffer.concat([Buffer.from([IAC, WILL, NAWS, IAC, SB, NAWS]), payload, Buffer.from([IAC, SE]), CRLF]));
    o.send('say after the flood');
    await bystander.waitFor('Hugesb says, "after the flood"');
    // The oversized NAWS was not taken as a window size: the room is not wrapped.
    o.send('look');
    await o.waitFor(/^The old heart of Arkham.{200,}$/m);
    const seen = await w.done();
    expect(seen).not.toMatch(/leaked/);
    expect(aboutOffender(seen, 'Hugesb')).toEqual(['Hugesb says, "after the flood"']);
    o.close();
  });

  it('a 10 KB line is cut with a notice and its tail is not run as commands', async () => {
    const w = watchBystander();
    const o = await offender('Longline');
    o.write(Buffer.concat([Buffer.from('B'.repeat(4096) + 'say LEAKED ' + 'C'.repeat(6000)), CRLF]));
    await o.waitFor(/longer than 4096 bytes/);
    o.send('say short again');
    await bystander.waitFor('Longline says, "short again"');
    const seen = await w.done();
    expect(seen).not.toMatch(/LEAKED|CCCC|BBBB/);
    expect(aboutOffender(seen, 'Longline')).toEqual(['Longline says, "short again"']);
    o.close();
  });

  it('invalid UTF-8 in a say reaches others as U+FFFD, never as raw bytes', async () => {
    const w = watchBystander();
    // A second bystander whose client reads UTF-8 (the first never said so: it gets ASCII).
    const utf8 = await telnetLogin(server.telnetPort, 'utfwatcher');
    utf8.send('encoding utf-8');
    await utf8.waitFor('Encoding: utf-8');
    const o = await offender('Badutf');
    const bad = Buffer.from([0xc3, 0x28, 0xfe, 0x80, 0xe2, 0x82]);
    o.write(Buffer.concat([Buffer.from('say bad '), bad, Buffer.from(' end'), CRLF]));
    await utf8.waitFor(/Badutf says, "bad \ufffd\(\ufffd+ end"/);
    await bystander.waitFor(/Badutf says, "bad \?\(\?+ end"/);
    await w.done();
    utf8.close();
    // Everything the bystander was ever sent is valid UTF-8.
    const shown = stripTelnet(bystander.bytes);
    expect(Buffer.from(shown.toString('utf8'), 'utf8').equals(shown)).toBe(true);
    o.close();
  });

  it('control characters and terminal escapes in a say are stripped before others see them', async () => {
    const w = watchBystander();
    const o = await offender('Escaper');
    o.send('say \x1b[31mred\x1b[0m and \x07bell\x1b]0;pwned\x07 done\x1b[2J');
    const said = await bystander.waitFor(/Escaper says, "([^\n]*)"\n/);
    // The escapes are made inert (their ESC and BEL bytes are gone); the words arrive.
    expect(said[1]).toMatch(/red.* and bell.* done/);
    const seen = await w.done();
    expect(seen).not.toMatch(UNCLEAN);
    expect(bystander.bytes.includes(0x1b)).toBe(false);
    expect(bystander.bytes.includes(0x07)).toBe(false);
    o.close();
  });

  it('a flood of 2,000 lines in one write: what fits the queue runs, the rest is refused with one notice', async () => {
    const w = watchBystander();
    const o = await offender('Flooder');
    const mark = o.text.length;
    o.write('look\r\n'.repeat(2000));
    await o.waitFor(/Too much input at once: 200 lines are waiting/);
    // The bystander is answered while the flooder's queue plays out.
    const seen = await w.done();
    expect(aboutOffender(seen, 'Flooder')).toEqual([]);
    // The queue runs at 20 lines a second. Once it has room again a new line queues behind the
    // rest, and is answered after all of them (10 s for the 200).
    const views = () => o.text.slice(mark).match(/\nExits:/g)?.length ?? 0;
    await waitUntil(() => views() >= 100, 'room in the queue', 20_000);
    o.send('say alive');
    await o.waitFor(/You say, "alive"/, 20_000);
    const after = o.text.slice(mark);
    // The burst at once (less what the login spent of it), then the 200 that were queued.
    expect(views()).toBeGreaterThanOrEqual(250);
    // The burst of 60 at once, the 200 queued, a few more if the write arrived in pieces.
    expect(views()).toBeLessThan(300);
    expect(after.match(/Too much input at once/g)).toHaveLength(1);
    o.close();
  }, 40_000);
});

/**
 * A client that never reads, in a room where others talk: the server must drop it once its output
 * queue passes the bound, not buffer without end. The kernel holds a few MB of a loopback socket's
 * output before the server's own queue grows, so the talkers say long lines of bytes that are not
 * UTF-8: each becomes U+FFFD (3 bytes), so a 4 KB line is ~12 KB to every listener.
 */
describe('telnet: a client that never reads', () => {
  it('is disconnected, with bounded memory, and the others play on', async () => {
    const w = watchBystander();
    const silent = await telnetLogin(server.telnetPort, 'Sleeper');
    const talkers: TelnetClient[] = [];
    for (const name of ['Talkera', 'Talkerb', 'Talkerc', 'Talkerd']) talkers.push(await telnetLogin(server.telnetPort, name));
    for (const c of [silent, ...talkers]) {
      c.send('north');
      await c.waitFor(/Garrison Street\n[^\n]+\nExits:/);
    }
    silent.socket.pause(); // reads nothing more from here on

    // The talkers would receive megabytes: stop recording it, only watch for the one line.
    let sawDrop = false;
    for (const c of talkers) {
      c.socket.removeAllListeners('data');
      let tail = '';
      c.socket.on('data', (d: Buffer) => {
        const s = tail + d.toString('latin1');
        if (s.includes('Sleeper has lost their link')) sawDrop = true;
        tail = s.slice(-64);
      });
    }
    const line = Buffer.concat([Buffer.from('say '), Buffer.alloc(4000, 0x80), CRLF]);
    // 6 lines per talker per 200 ms: within the rate limit's burst for the first seconds, and at
    // most ~300 KB to each listener per event-loop turn (see the report on bursts over 1 MiB).
    const deadline = Date.now() + 40_000;
    for (let round = 0; round < 200 && !sawDrop && Date.now() < deadline; round++) {
      for (const c of talkers) c.write(Buffer.concat([line, line, line, line, line, line]));
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(sawDrop).toBe(true);
    await waitUntil(() => server.stderr().includes('client not reading'), 'the log line');
    const drops = server
      .stderr()
      .split('\n')
      .filter((l) => l.includes('client not reading'));
    expect(drops).toHaveLength(1); // the sleeper only: the talkers read all of it and stay
    const queued = (JSON.parse(drops[0]!) as { queued: number }).queued;
    expect(queued).toBeLessThan(2 * 1024 * 1024); // the bound (1 MiB) plus the last write or so
    for (const c of talkers) expect(c.closed).toBe(false);

    const seen = await w.done(); // the bystander, in the square, noticed nothing
    expect(seen).not.toMatch(UNCLEAN);
    for (const c of [silent, ...talkers]) c.close();
  }, 60_000);
});

describe('telnet: login timeout', () => {
  let quick: ServerProcess;
  beforeAll(async () => {
    quick = await startServer({ env: { MYTHOS_LOGIN_TIMEOUT_S: '3' } });
  });
  afterAll(async () => {
    await quick.stop();
    removeDir(quick.dataDir);
  });

  it('a connection that never logs in is closed with a notice; one that did stays', async () => {
    // The player connects first, so its timer would run out first had logging in not stopped it.
    const player = await TelnetClient.connect(quick.telnetPort);
    const idle = await TelnetClient.connect(quick.telnetPort);
    const halfway = await TelnetClient.connect(quick.telnetPort);
    await player.waitFor(/name/i);
    player.send('Prompt');
    await player.waitFor(/\(y\/n\)/);
    player.send('y');
    await player.waitFor(/password/i);
    player.send('in-good-time');
    await player.waitFor(/password/i);
    player.send('in-good-time');
    await player.waitFor(ROOM_END);
    await halfway.waitFor(/name/i);
    halfway.send('Loiterer');
    await halfway.waitFor(/\(y\/n\)/);
    await idle.waitClosed(15_000);
    await halfway.waitClosed(15_000);
    expect(idle.text).toMatch(/too long/i);
    expect(halfway.text).toMatch(/too long/i);
    // The player has been connected longer than either: still in the game.
    player.send('say made it');
    await player.waitFor('You say, "made it"');
    expect(player.closed).toBe(false);
    player.close();
  });
});
