// What a telnet player at the prompt receives when others act, and after their own commands: the
// real telnet door on a real socket, a real Game on a temporary SQLite file. Others' events go out
// as they come, the prompt once the burst is over (quiet-prompts.ts); a client that marks prompts
// (EOR) gets no blank line before them; the player's own command gets its prompt at once.
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../server/logger.js';
import { addTelnetExtensions } from '../../../server/telnet/extensions.js';
import { startTelnetDoor, type TelnetDoor } from '../../../server/telnet/server.js';
import { indexesOf, TELNET, TelnetClient, telnetLogin, waitUntil } from '../../e2e/harness.js';
import { makeGame, type TestGame } from '../helpers.js';

const { IAC, GA, EOR_CMD: EOR, SB } = TELNET;
const CRLF = Buffer.from('\r\n');
const PROMPT = Buffer.from('> ');

const cleanups: Array<() => void> = [];
/** The server's side of every telnet socket the door accepted, in order. */
const accepted: Socket[] = [];
afterEach(() => {
  for (const stop of cleanups.splice(0).reverse()) stop();
  accepted.length = 0;
});

async function start(): Promise<{ tg: TestGame; door: TelnetDoor; port: number }> {
  const tg = makeGame();
  const log = silentLogger();
  const door = startTelnetDoor(tg.game, log, {
    setup: (conn) => addTelnetExtensions(conn, { game: tg.game, log, telnetPort: () => port }),
  });
  door.server.on('connection', (socket: Socket) => accepted.push(socket));
  door.server.listen(0, '127.0.0.1');
  await once(door.server, 'listening');
  const port = (door.server.address() as AddressInfo).port;
  cleanups.push(() => tg.cleanup());
  cleanups.push(() => {
    for (const conn of door.connections) conn.close();
    door.server.close();
  });
  return { tg, door, port };
}

/** A client that answers negotiation as given, in the game and idle at its first prompt. */
async function idleAtPrompt(port: number, name: string, dos: number[]): Promise<TelnetClient> {
  const c = await telnetLogin(port, name, 'secret-pass', { do: dos });
  cleanups.push(() => c.close());
  return c;
}

/** Another player joins a's room (on a recording connection); returns once a has seen it. */
async function joinWatched(tg: TestGame, a: TelnetClient, name: string, mark: number[]) {
  const b = tg.join(name);
  await a.waitFor(`${name} has entered the game.`);
  await untilEndsWith(a, 0, mark);
  return b;
}

/** Waits until the bytes after `from` end with `tail`, and returns them. */
async function untilEndsWith(c: TelnetClient, from: number, tail: number[]): Promise<Buffer> {
  const end = Buffer.from(tail);
  await waitUntil(() => c.bytes.length - from > end.length && c.bytes.subarray(-end.length).equals(end), 'the prompt');
  return c.bytes.subarray(from);
}

/** The text lines of `bytes` up to the closing prompt + mark, and what came before them. */
function linesBefore(bytes: Buffer, mark: number[]): { lead: string; lines: string[] } {
  const closing = Buffer.concat([PROMPT, Buffer.from(mark)]);
  expect(bytes.subarray(-closing.length).equals(closing)).toBe(true);
  const text = bytes.subarray(0, -closing.length).toString('utf8');
  const lead = text.startsWith('\r\n') ? '\r\n' : '';
  return { lead, lines: text.slice(lead.length).replace(/\r\n$/, '').split('\r\n') };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('telnet: output to a player sitting at the prompt', () => {
  it('EOR client: the text with no blank line before it, then the prompt once it is quiet', async () => {
    const { tg, port } = await start();
    const a = await idleAtPrompt(port, 'armitage', [TELNET.EOR]);
    const b = await joinWatched(tg, a, 'Rice', [IAC, EOR]);
    const from = a.bytes.length;
    b.type('say the stars are right');
    const got = await untilEndsWith(a, from, [IAC, EOR]);
    expect(linesBefore(got, [IAC, EOR])).toEqual({ lead: '', lines: ['Rice says, "the stars are right"'] });
    expect(indexesOf(got, PROMPT)).toHaveLength(1);
  });

  it('a burst of events in one turn: every text, then the prompt once', async () => {
    const { tg, port } = await start();
    const a = await idleAtPrompt(port, 'morgan', [TELNET.EOR]);
    const b = await joinWatched(tg, a, 'Rice', [IAC, EOR]);
    const from = a.bytes.length;
    b.type('say one');
    b.type('say two');
    b.type('emote waits.');
    const got = await untilEndsWith(a, from, [IAC, EOR]);
    expect(linesBefore(got, [IAC, EOR]).lines).toEqual(['Rice says, "one"', 'Rice says, "two"', 'Rice waits.']);
    expect(indexesOf(got, [IAC, EOR])).toHaveLength(1);
  });

  it('events spread over several turns do not each get a prompt', async () => {
    const { tg, port } = await start();
    const a = await idleAtPrompt(port, 'curwen', [TELNET.EOR]);
    const b = await joinWatched(tg, a, 'Rice', [IAC, EOR]);
    const from = a.bytes.length;
    for (let i = 0; i < 5; i++) {
      b.type(`say ${i}`);
      await tick(10);
    }
    const got = await untilEndsWith(a, from, [IAC, EOR]);
    expect(got.toString('utf8').match(/Rice says/g)).toHaveLength(5);
    expect(indexesOf(got, PROMPT).length).toBeLessThan(5);
  });

  it('a client without EOR: off the prompt line first, then IAC GA after the prompt', async () => {
    const { tg, port } = await start();
    const a = await idleAtPrompt(port, 'wilmarth', []);
    const b = await joinWatched(tg, a, 'Rice', [IAC, GA]);
    const from = a.bytes.length;
    b.type('emote listens.');
    const got = await untilEndsWith(a, from, [IAC, GA]);
    expect(linesBefore(got, [IAC, GA])).toEqual({ lead: '\r\n', lines: ['Rice listens.'] });
  });

  it('GMCP for the event comes with its text; the prompt once, after both', async () => {
    const { tg, port } = await start();
    const a = await idleAtPrompt(port, 'peaslee', [TELNET.EOR, TELNET.GMCP]);
    const b = await joinWatched(tg, a, 'Rice', [IAC, EOR]);
    await waitUntil(() => a.bytes.includes('Room.AddPlayer'), 'Room.AddPlayer');
    const from = a.bytes.length;
    b.type('say listen');
    const got = await untilEndsWith(a, from, [IAC, EOR]);
    const sb = indexesOf(got, [IAC, SB, TELNET.GMCP]);
    expect(sb).toHaveLength(1);
    expect(got.subarray(sb[0]!).toString('latin1')).toMatch(/^\xff\xfa\xc9Comm\.Channel\.Text \{.*"text":"Rice says, \\"listen\\""\}\xff\xf0> \xff\xef$/);
    expect(got.subarray(0, sb[0]!).toString('utf8')).toBe('Rice says, "listen"\r\n');
    expect(indexesOf(got, PROMPT)).toHaveLength(1);
  });

  it("the player's own command: its output and the prompt together, at once", async () => {
    const { port } = await start();
    const a = await idleAtPrompt(port, 'dyer', [TELNET.EOR]);
    const from = a.bytes.length;
    a.send('say hello');
    const got = await untilEndsWith(a, from, [IAC, EOR]);
    expect(linesBefore(got, [IAC, EOR]).lines).toEqual(['You say, "hello"']);
  });

  it('prompt off: no prompt after the own command, nor after others', async () => {
    const { tg, port } = await start();
    const a = await idleAtPrompt(port, 'lake', [TELNET.EOR]);
    const b = await joinWatched(tg, a, 'Rice', [IAC, EOR]);
    a.send('prompt off');
    await a.waitFor('Prompt: off');
    const from = a.bytes.length;
    a.send('say quietly');
    await a.waitFor('You say, "quietly"');
    b.type('say back');
    await a.waitFor('Rice says, "back"');
    await tick(800); // past the quiet time
    expect(indexesOf(a.bytes.subarray(from), PROMPT)).toHaveLength(0);
    // It is kept with the account: the next login has it too.
    a.send('quit');
    await a.waitClosed();
    const again = await TelnetClient.connect(port);
    cleanups.push(() => again.close());
    await again.waitFor(/name/i);
    again.send('lake');
    await again.waitFor(/password/i);
    again.send('secret-pass');
    await again.waitFor(/Exits:[^\n]*\n/);
    await tick(800);
    expect(again.unread).not.toMatch(/> /);
  });

  it('an event, then a notice, on a socket that broke before its close event came: no error', async () => {
    const { tg, door, port } = await start();
    const a = await idleAtPrompt(port, 'gilman', [TELNET.EOR]);
    const b = await joinWatched(tg, a, 'Rice', [IAC, EOR]);
    const conn = [...door.connections][0]!;
    // All in one turn: the socket is destroyed (as on a reset), the game still delivers to the
    // connection, and a sysop's kick writes its notice before the close event has come.
    accepted[0]!.destroy();
    b.type('say still there?');
    expect(() => conn.close('You have been removed from the game.')).not.toThrow();
  });
});
