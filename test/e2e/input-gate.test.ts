// The input gate end to end (issue 14): what a player types reaches others as text only, whichever
// door it came by; input past the pace is queued and run in order, not thrown away; the login
// throttle and the per-address cap hold across both doors.
import { describe, expect, it } from 'vitest';
import { loadWorld } from '../../server/world/load.js';
import { stripTelnet, TelnetClient, telnetLogin, useServer, waitUntil } from './harness.js';
import { WsClient, wsEnter } from './ws-client.js';

/** One of each kind of thing a terminal would obey rather than show. */
const HOSTILE = [
  'clear \x1b[2J\x1b[H',
  'title \x1b]0;pwned\x07',
  'csi8 \u009b31m',
  'bell \x07\x07',
  'back \x08\x08\x08',
  'nul \x00',
  'dcs \x1bP1$r\x1b\\',
  'reset \x1bc',
  'bidi \u202e',
  'end',
].join(' ');
/** The visible words of HOSTILE, in order. */
const WORDS = /clear\s+title\s+csi8\s+bell\s+back\s+nul\s+dcs\s+reset\s+bidi\s+end/;
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('what a WebSocket player types reaches others as text only', () => {
  const server = useServer();

  it('say, emote, chat and tell: no control byte reaches a raw telnet bystander or a WebSocket one', async () => {
    const telnet = await telnetLogin(server().telnetPort, 'bystander');
    const watcher = await wsEnter(server().wsUrl, 'watcher');
    const mallory = await wsEnter(server().wsUrl, 'mallory');
    await telnet.waitFor('Mallory has entered the game.');
    const mark = telnet.bytes.length;
    for (const line of [`say ${HOSTILE}`, `emote ${HOSTILE}`, `chat ${HOSTILE}`, `tell bystander ${HOSTILE}`, `tell watcher ${HOSTILE}`]) {
      mallory.client.command(line);
    }
    await telnet.waitFor(new RegExp(`Mallory says, "${WORDS.source}"`));
    await telnet.waitFor(new RegExp(`Mallory ${WORDS.source}`));
    await telnet.waitFor(new RegExp(`\\[chat\\] Mallory: ${WORDS.source}`));
    await telnet.waitFor(new RegExp(`Mallory tells you, "${WORDS.source}"`));

    // The bytes on the wire, telnet commands aside: none of ESC, C1 CSI, BEL, BS, NUL.
    const shown = stripTelnet(telnet.bytes.subarray(mark));
    for (const [what, bytes] of [
      ['ESC', [0x1b]],
      ['C1 CSI (U+009B in UTF-8)', [0xc2, 0x9b]],
      ['BEL', [0x07]],
      ['BS', [0x08]],
      ['NUL', [0x00]],
      ['RLO (U+202E in UTF-8)', [0xe2, 0x80, 0xae]],
    ] as const) {
      expect(shown.includes(Buffer.from(bytes)), what).toBe(false);
    }

    // The WebSocket bystander: the same four, clean in `text` and in `message`.
    const heard = [];
    for (const channel of ['say', 'emote', 'chat', 'tell'] as const) {
      heard.push(await watcher.client.waitFor('message', (e) => e.data.channel === channel && e.data.from?.name === 'Mallory'));
    }
    for (const e of heard) {
      expect(e.data.text).toMatch(WORDS);
      expect(e.data.text).not.toMatch(UNSAFE);
      expect(e.data.message).not.toMatch(UNSAFE);
    }
    expect(watcher.client.problems).toEqual([]);
    telnet.close();
    watcher.client.close();
    mallory.client.close();
  });
});

describe('input past the pace is queued and run in order', () => {
  const server = useServer();

  /** A walk of `steps` through the bundled world from its start, each step a real exit. */
  function walkFromStart(steps: number): { words: string[]; rooms: string[] } {
    const world = loadWorld();
    const short: Record<string, string> = {
      north: 'n', south: 's', east: 'e', west: 'w', northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw', up: 'u', down: 'd',
    };
    let room = world.start;
    const words: string[] = [];
    const rooms: string[] = [];
    // A walk that wanders (a seeded LCG picks each exit), so a step run out of order, or lost,
    // leads somewhere else or into a wall.
    let seed = 1926;
    for (let i = 0; i < steps; i++) {
      const exits = Object.entries(room.exits).filter((e): e is [string, string] => typeof e[1] === 'string').sort();
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const [dir, target] = exits[Math.floor(seed / 65536) % exits.length]!;
      words.push(short[dir]!);
      room = world.rooms.get(target)!;
      rooms.push(room.id);
    }
    return { words, rooms };
  }

  it('a telnet speedwalk of 150 steps in one write: every step runs, in order, and ends where the walk leads', async () => {
    const walk = walkFromStart(150);
    const world = loadWorld();
    const walker = await telnetLogin(server().telnetPort, 'speedwalker');
    const mark = walker.text.length;
    walker.write(walk.words.map((w) => `${w}\r\n`).join(''));
    const seen = () => walker.text.slice(mark);
    // 60 at once, the rest at 20 a second: about 5 s.
    await waitUntil(() => (seen().match(/\nExits:/g)?.length ?? 0) >= 150, 'all 150 steps', 20_000);
    const names = [...seen().matchAll(/(?:^|\n)(?:> )*([^\n>][^\n]*)\n[^\n]+\nExits:/g)].map((m) => m[1]);
    expect(names).toEqual(walk.rooms.map((id) => world.rooms.get(id)!.name));
    expect(new Set(walk.rooms).size).toBeGreaterThan(10); // it wanders
    expect(seen()).not.toMatch(/You cannot go|Too much input/);
    walker.send('look');
    const final = world.rooms.get(walk.rooms.at(-1)!)!;
    await walker.waitFor(new RegExp(`${final.name}\\n[^\\n]+\\nExits:`));
    walker.close();
  }, 40_000);

  it('a WebSocket client that sends 150 moves at once sees every room_update, in order', async () => {
    const walk = walkFromStart(150);
    const { client } = await wsEnter(server().wsUrl, 'wswalker');
    for (const w of walk.words) client.command(w);
    await waitUntil(() => client.frames.filter((f) => f.event_type === 'room_update').length >= 150, 'all 150 moves', 20_000);
    const rooms = client.frames.filter((f) => f.event_type === 'room_update').map((f) => f.room_id);
    expect(rooms).toEqual(walk.rooms);
    expect(client.frames.some((f) => f.event_type === 'error')).toBe(false);
    expect(client.problems).toEqual([]);
    client.close();
  }, 40_000);

  it('300 lines in one write: exactly one notice, and every line that fitted runs', async () => {
    const talker = await telnetLogin(server().telnetPort, 'paster');
    const mark = talker.text.length;
    talker.write(Array.from({ length: 300 }, (_, i) => `say line ${i}\r\n`).join(''));
    await talker.waitFor(/Too much input at once: 200 lines are waiting/);
    const said = () => [...talker.text.slice(mark).matchAll(/You say, "line (\d+)"/g)].map((m) => Number(m[1]));
    await waitUntil(() => said().length >= 250, 'the queued lines to run', 20_000);
    // Nothing else is coming once the queue is empty: a line sent now is answered after the rest.
    talker.send('say last');
    await talker.waitFor('You say, "last"', 20_000);
    const lines = said();
    // What ran is a prefix of what was sent, in order: the tail is what did not fit.
    expect(lines).toEqual(Array.from({ length: lines.length }, (_, i) => i));
    expect(lines.length).toBeGreaterThanOrEqual(255);
    expect(lines.length).toBeLessThan(300);
    expect(talker.text.slice(mark).match(/Too much input at once/g)).toHaveLength(1);
    talker.close();
  }, 40_000);
});

describe('wrong passwords are counted across doors and connections', () => {
  const server = useServer();

  async function telnetAtPassword(name: string): Promise<TelnetClient> {
    const c = await TelnetClient.connect(server().telnetPort);
    await c.waitFor(/name/i);
    c.send(name);
    await c.waitFor(/password/i);
    return c;
  }

  it('four wrong passwords over two doors and three connections: the fourth waits', async () => {
    const owner = await wsEnter(server().wsUrl, 'keziah');
    owner.client.command('quit');
    await owner.client.waitClosed();

    const first = await telnetAtPassword('keziah');
    first.send('wrong-one');
    await first.waitFor(/Wrong password\.[\s\S]*Password:/);
    first.send('wrong-two');
    await first.waitFor(/Wrong password\.[\s\S]*Password:/);

    const ws = await WsClient.connect(server().wsUrl);
    ws.send({ type: 'login', name: 'keziah', password: 'wrong-three' });
    expect((await ws.waitFor('auth_error')).data.reason).toBe('bad_password');
    expect(server().stderr()).not.toMatch(/login throttled/);

    // A fresh connection does not start afresh: the fourth wrong password is held back first.
    const third = await telnetAtPassword('keziah');
    const sent = Date.now();
    third.send('wrong-four');
    await third.waitFor(/Wrong password\./);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(250);
    await waitUntil(() => /login throttled after wrong passwords/.test(server().stderr()), 'the throttle in the log');
    const line = server().stderr().split('\n').find((l) => l.includes('login throttled'))!;
    expect(JSON.parse(line)).toMatchObject({ player: 'keziah', addr: '127.0.0.1', wait_ms: 250 });

    // The right password still gets in (after its wait), on either door.
    const back = await wsEnter(server().wsUrl, 'keziah', { login: true });
    expect(back.authOk.data.player.name).toBe('Keziah');
    first.close();
    third.close();
    ws.close();
    back.client.close();
  });
});

describe('connections per address', () => {
  const server = useServer({ args: ['--max-connections-per-address', '3'] });

  it('are capped across both doors, and a closed one frees its place', async () => {
    const a = await TelnetClient.connect(server().telnetPort);
    const b = await WsClient.connect(server().wsUrl);
    const c = await TelnetClient.connect(server().telnetPort);
    await a.waitFor(/name/i);
    await c.waitFor(/name/i);

    const refused = await TelnetClient.connect(server().telnetPort);
    await refused.waitFor(/Too many connections from your address \(at most 3 at once\)/);
    await refused.waitClosed();
    await expect(WsClient.connect(server().wsUrl)).rejects.toThrow(/429/);

    // The others are untouched, and once one closes a new one gets in.
    expect((await b.ping('fine')).data.id).toBe('fine');
    a.close();
    let again: TelnetClient | null = null;
    for (let i = 0; i < 50 && !again; i++) {
      const t = await TelnetClient.connect(server().telnetPort);
      try {
        await t.waitFor(/name|Too many/i);
        if (/name/i.test(t.text)) again = t;
        else t.close();
      } catch {
        t.close();
      }
      if (!again) await new Promise((r) => setTimeout(r, 50));
    }
    expect(again?.text).toMatch(/By what name/);
    expect(server().stderr()).toMatch(/connection refused: too many from this address/);
    again?.close();
    b.close();
    c.close();
  });
});
