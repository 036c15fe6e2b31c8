// Two players over plain TCP telnet, end to end against the real server: they see each other come,
// go and talk, and every command answers. Then the telnet options a MUD client negotiates: prompt
// marking (EOR / GA / neither), NAWS word wrap and TTYPE colour.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerNegotiation,
  indexesOf,
  removeDir,
  startServer,
  stripTelnet,
  TelnetClient,
  telnetLogin,
  type ServerProcess,
  TELNET,
} from './harness.js';

const { IAC, GA, EOR_CMD: EOR } = TELNET;
const OPT = { SGA: 3, EOR: 25, TTYPE: 24, NAWS: 31 } as const;
const PROMPT = Buffer.from('> ');
/** The end of a room view and the prompt after it (`Also here:` may be wrapped over lines). */
const ROOM_END = /\nExits:[^\n]*\n(?:Also here:[^>]*)?> /;

let server: ServerProcess;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

describe('telnet: two players', () => {
  let a: TelnetClient;
  let b: TelnetClient;

  beforeAll(async () => {
    a = await telnetLogin(server.telnetPort, 'carter');
    b = await telnetLogin(server.telnetPort, 'pickman');
  });
  afterAll(() => {
    a.close();
    b.close();
  });

  it('each sees the other in the room view and the arrival in the game', async () => {
    // B's first room view already names A; A is told that B came.
    expect(b.text).toMatch(/^Also here: Carter\.$/m);
    await a.waitFor('Pickman has entered the game.');
    a.send('look');
    await a.waitFor(/Independence Square\n[^\n]+\nExits:[^\n]*\nAlso here: Pickman\.\n/);
    b.send('l');
    await b.waitFor(/Also here: Carter\.\n/);
  });

  it('starts what arrives while a player sits at the prompt on a new line, and adds no blank line after Enter', async () => {
    a.send('look');
    await a.waitFor(ROOM_END);
    b.send('say are you there?');
    // The prompt comes back once the burst of others' events is over.
    await a.waitFor(/Pickman says, "are you there\?"\n> /);
    // What A's terminal shows: the prompt, then the line below it, never "> Pickman says".
    expect(a.text).toMatch(/> \nPickman says, "are you there\?"\n> $/);
    // A's own command: the client's Enter already ended the prompt line.
    a.send('exits');
    await a.waitFor(/Exits:[^\n]*\n(?: {2}.*\n)+> /);
    expect(a.text).toMatch(/> Exits: north, south, east, west\.\n/);
  });

  it('one walks out and back; the other sees both, with directions', async () => {
    b.send('north');
    await b.waitFor(/Garrison Street\n[^\n]+\nExits:[^\n]*\n> /);
    await a.waitFor('Pickman leaves north.');
    b.send('go south');
    await b.waitFor(/Independence Square\n[^\n]+\nExits:[^\n]*\nAlso here: Carter\.\n> /);
    await a.waitFor('Pickman arrives from the north.');
    b.send('e');
    await a.waitFor('Pickman leaves east.');
    b.send('w');
    await a.waitFor('Pickman arrives from the east.');
    await b.waitFor(/Also here: Carter\.\n> /);
  });

  it('say, the short form and emote reach both, worded for each', async () => {
    a.send('say The stars are right tonight.');
    await a.waitFor('You say, "The stars are right tonight."');
    await b.waitFor('Carter says, "The stars are right tonight."');
    b.send("'Then we had better hurry.");
    await b.waitFor('You say, "Then we had better hurry."');
    await a.waitFor('Pickman says, "Then we had better hurry."');
    a.send('emote glances at the sky.');
    await b.waitFor('Carter glances at the sky.');
    await a.waitFor('Carter glances at the sky.');
    b.send(':shivers.');
    await a.waitFor('Pickman shivers.');
    expect(b.text).not.toMatch(/Pickman says/);
    expect(a.text).not.toMatch(/Carter says/);
  });

  it('who lists both', async () => {
    a.send('who');
    const m = await a.waitFor(/2 investigators are abroad in Arkham:\n((?:  [^\n]+\n){2})/);
    expect(m[1]).toMatch(/Carter/);
    expect(m[1]).toMatch(/Pickman/);
  });

  it('help, exits, an unknown command and a wall all answer', async () => {
    a.send('help');
    const help = await a.waitFor(/Commands:\n([\s\S]*?)\nType "help COMMAND"/);
    for (const word of ['look', 'say', 'emote', 'who', 'quit', 'exits']) expect(help[1]).toContain(word);
    a.send('help say');
    await a.waitFor(/say TEXT\n\s+Speak to everyone/);
    a.send('exits');
    await a.waitFor(/Exits: north, south, east, west\.\n\s+north\s+Garrison Street\n/);
    a.send('dance wildly');
    await a.waitFor(/Huh\? "dance" is not a command[^\n]*help/);
    a.send('up');
    await a.waitFor('You cannot go up from here.');
    a.send('go sideways');
    await a.waitFor(/"sideways" is not a direction/);
    a.send('say still here');
    await b.waitFor('Carter says, "still here"');
    // None of A's private answers leaked to B.
    expect(b.text).not.toMatch(/Commands:|Huh\?|cannot go up|sideways|abroad in Arkham/);
  });

  it('quit is seen by the other and closes the quitter', async () => {
    b.send('quit');
    await a.waitFor('Pickman has left the game.');
    await b.waitClosed();
    expect(b.text).toMatch(/Goodbye/);
    a.send('who');
    await a.waitFor(/One investigator is abroad in Arkham:\n  Carter/);
  });
});

/** The bytes that followed each in-game prompt `> `, up to two of them. */
function afterPrompts(bytes: Buffer, from: number): Buffer[] {
  return indexesOf(bytes.subarray(from), PROMPT).map((i) => bytes.subarray(from + i + 2, from + i + 4));
}

describe('telnet: prompt marking', () => {
  it('a client that agreed to EOR gets IAC EOR after prompts', async () => {
    const c = await TelnetClient.connect(server.telnetPort);
    answerNegotiation(c, { do: [OPT.EOR] });
    const p = await loginWith(c, 'ward');
    c.send('look');
    await c.waitFor(ROOM_END);
    const marks = afterPrompts(c.bytes, p);
    expect(marks.length).toBeGreaterThanOrEqual(2);
    for (const m of marks) expect([...m]).toEqual([IAC, EOR]);
    expect(indexesOf(c.bytes.subarray(p), [IAC, GA])).toEqual([]);
    c.close();
  });

  it('a client that says nothing gets IAC GA', async () => {
    const c = await TelnetClient.connect(server.telnetPort);
    const p = await loginWith(c, 'curwen');
    c.send('look');
    await c.waitFor(ROOM_END);
    const marks = afterPrompts(c.bytes, p);
    expect(marks.length).toBeGreaterThanOrEqual(2);
    for (const m of marks) expect([...m]).toEqual([IAC, GA]);
    expect(indexesOf(c.bytes.subarray(p), [IAC, EOR])).toEqual([]);
    c.close();
  });

  it('a client that asks DO SGA and refuses EOR gets neither', async () => {
    const c = await TelnetClient.connect(server.telnetPort);
    answerNegotiation(c, { do: [OPT.SGA] });
    c.write(Buffer.from([IAC, 253, OPT.SGA])); // DO SGA: the server accepts but does not offer it
    const p = await loginWith(c, 'marsh');
    c.send('look');
    await c.waitFor(ROOM_END);
    const after = c.bytes.subarray(p);
    expect(indexesOf(after, PROMPT).length).toBeGreaterThanOrEqual(2);
    expect(indexesOf(after, [IAC, GA])).toEqual([]);
    expect(indexesOf(after, [IAC, EOR])).toEqual([]);
    c.close();
  });
});

/**
 * The login dialogue on an already-connected client (which may answer negotiation). Returns the
 * byte offset where the game starts (after the last password was sent), for checks on what follows.
 */
async function loginWith(c: TelnetClient, name: string, password = 'secret-pass'): Promise<number> {
  await c.waitFor(/name/i);
  c.send(name);
  await c.waitFor(/\(y\/n\)/);
  c.send('y');
  await c.waitFor(/password/i);
  c.send(password);
  await c.waitFor(/password/i);
  const start = c.bytes.length;
  c.send(password);
  await c.waitFor(ROOM_END);
  return start;
}

describe('telnet: NAWS and TTYPE', () => {
  it('wraps the room to the width a client sent with NAWS', async () => {
    const c = await TelnetClient.connect(server.telnetPort);
    c.write(Buffer.from([IAC, 251, OPT.NAWS, IAC, 250, OPT.NAWS, 0, 40, 0, 24, IAC, 240]));
    const p = await loginWith(c, 'olmstead');
    c.send('look');
    await c.waitFor(ROOM_END);
    const text = afterLogin(c, p);
    const lines = text.split('\n');
    // The square's description is several hundred characters: wrapped, it takes many lines.
    expect(text).toContain('Independence Square');
    expect(lines.length).toBeGreaterThan(12);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(40);
    c.close();
  });

  it('does not wrap for a client that sent no size', async () => {
    const c = await telnetLogin(server.telnetPort, 'gilman');
    expect(c.text).toMatch(/^The old heart of Arkham.{200,}$/m);
    c.close();
  });

  it('colours for a client whose TTYPE is xterm-256color, not for one that does not answer', async () => {
    const coloured = await TelnetClient.connect(server.telnetPort);
    answerNegotiation(coloured, { ttype: 'xterm-256color' });
    const p = await loginWith(coloured, 'lavinia');
    coloured.send('say in colour');
    await coloured.waitFor('You say, "in colour"');
    expect(indexesOf(coloured.bytes.subarray(p), Buffer.from('\x1b[')).length).toBeGreaterThan(2);

    const plain = await telnetLogin(server.telnetPort, 'whateley');
    plain.send('say in black and white');
    await plain.waitFor('You say, "in black and white"');
    await coloured.waitFor('Whateley says, "in black and white"');
    expect(plain.bytes.includes(0x1b)).toBe(false);
    coloured.close();
    plain.close();
  });
});

/** What the client shows from byte offset `from` on: no telnet commands, CRLF as \n. */
function afterLogin(c: TelnetClient, from: number): string {
  return stripTelnet(c.bytes.subarray(from)).toString('utf8').replace(/\r\n/g, '\n');
}
