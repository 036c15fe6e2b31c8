// The optional telnet options of PROTOCOL.md section 3 against the real server: GMCP, MSSP,
// MCCP2 and CHARSET, with a raw TCP client driven byte by byte that inflates MCCP2 itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../../server/world/load.js';
import { removeDir, startServer, telnetLogin, type ServerProcess, TELNET } from './harness.js';
import { OPT, OptionClient } from './option-client.js';

const { IAC, DONT, DO, WONT, WILL, SB, SE } = TELNET;

const world = loadWorld();
const num = (id: string) => world.rooms.get(id)!.num;

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
