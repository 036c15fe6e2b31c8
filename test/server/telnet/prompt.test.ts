// What a telnet player at the prompt receives when others act: the real telnet door on a real
// socket, a real Game on a temporary SQLite file. An event that finds the player idle at the
// prompt goes out with its prompt in one prebuilt buffer (TelnetConnection.show); these check that
// the bytes are the ones the classic queue-then-prompt path wrote: the new line, the text, then
// one prompt and its mark after everything the turn had for the player, GMCP included.
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

/** The text lines between the leading CRLF and the closing CRLF + prompt + mark. */
function linesBetween(bytes: Buffer, mark: number[]): string[] {
  const closing = Buffer.concat([CRLF, PROMPT, Buffer.from(mark)]);
  expect(bytes.subarray(0, 2).equals(CRLF)).toBe(true);
  expect(bytes.subarray(-closing.length).equals(closing)).toBe(true);
  return bytes.subarray(2, -closing.length).toString('utf8').split('\r\n');
}

describe('telnet: output to a player sitting at the prompt', () => {
  it('one event: a new line, the text, one prompt with IAC EOR', async () => {
    const { tg, port } = await start();
    const a = await idleAtPrompt(port, 'armitage', [TELNET.EOR]);
    const b = await joinWatched(tg, a, 'Rice', [IAC, EOR]);
    const from = a.bytes.length;
    b.type('say the stars are right');
    const got = await untilEndsWith(a, from, [IAC, EOR]);
    expect(linesBetween(got, [IAC, EOR])).toEqual(['Rice says, "the stars are right"']);
    expect(indexesOf(got, PROMPT)).toHaveLength(1);
  });

  it('two events in one turn: both texts, then the prompt once', async () => {
    const { tg, port } = await start();
    const a = await idleAtPrompt(port, 'morgan', [TELNET.EOR]);
    const b = await joinWatched(tg, a, 'Rice', [IAC, EOR]);
    const from = a.bytes.length;
    // Both says are delivered in this turn, before the door's end-of-turn write.
    b.type('say one');
    b.type('say two');
    const got = await untilEndsWith(a, from, [IAC, EOR]);
    expect(linesBetween(got, [IAC, EOR])).toEqual(['Rice says, "one"', 'Rice says, "two"']);
    expect(indexesOf(got, [IAC, EOR])).toHaveLength(1);
  });

  it('a client without EOR gets IAC GA after the same bytes', async () => {
    const { tg, port } = await start();
    const a = await idleAtPrompt(port, 'wilmarth', []);
    const b = await joinWatched(tg, a, 'Rice', [IAC, GA]);
    const from = a.bytes.length;
    b.type('emote listens.');
    const got = await untilEndsWith(a, from, [IAC, GA]);
    expect(linesBetween(got, [IAC, GA])).toEqual(['Rice listens.']);
  });

  it('GMCP for the event comes before the prompt, and the prompt comes once', async () => {
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
    expect(got.subarray(0, sb[0]!).toString('utf8')).toBe('\r\nRice says, "listen"\r\n');
    expect(indexesOf(got, PROMPT)).toHaveLength(1);
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
