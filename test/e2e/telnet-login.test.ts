// The telnet login dialogue end to end: new characters, wrong passwords, hidden passwords, invalid
// names, taking over a body that is already in the game, and a lost link (kept, then taken back, or
// timed out with --resume-window).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerNegotiation, indexesOf, removeDir, startServer, TELNET, TelnetClient, telnetLogin, type ServerProcess } from './harness.js';

const { IAC, WILL, WONT, ECHO } = TELNET;

let server: ServerProcess;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

/** Registers `name` and leaves the game, so that the next login is to an existing character. */
async function existing(name: string, password: string): Promise<void> {
  const c = await telnetLogin(server.telnetPort, name, password);
  c.send('quit');
  await c.waitClosed();
}

/** Connects and answers the name prompt with an existing name; resolves at the password prompt. */
async function atPassword(name: string): Promise<TelnetClient> {
  const c = await TelnetClient.connect(server.telnetPort);
  await c.waitFor(/name/i);
  c.send(name);
  await c.waitFor(/password/i);
  return c;
}

describe('telnet: login', () => {
  it('a new name asks (y/n), then the password twice, then shows the room', async () => {
    const c = await TelnetClient.connect(server.telnetPort);
    await c.waitFor(/name/i);
    c.send('Tillinghast');
    await c.waitFor(/Tillinghast[^\n]*\(y\/n\)/);
    c.send('maybe'); // neither yes nor no: asked again
    await c.waitFor(/\(y\/n\)/);
    c.send('y');
    await c.waitFor(/password/i);
    c.send('short');
    await c.waitFor(/at least 6 characters[\s\S]*password/i);
    c.send('resonator');
    await c.waitFor(/password/i);
    c.send('resonatoR');
    await c.waitFor(/differ[\s\S]*password/i);
    c.send('resonator');
    await c.waitFor(/password/i);
    c.send('resonator');
    await c.waitFor(/Welcome to Arkham, Tillinghast\.\nIndependence Square\n[^\n]+\nExits:[^\n]*\n> /);
    c.send('quit');
    await c.waitClosed();
    // The second time the name is known: one password prompt, no (y/n).
    const again = await atPassword('tillinghast');
    expect(again.unread).not.toMatch(/y\/n/);
    again.send('resonator');
    await again.waitFor('Welcome to Arkham, Tillinghast.');
    again.close();
  });

  it('answering n to the (y/n) asks for a name again', async () => {
    const c = await TelnetClient.connect(server.telnetPort);
    await c.waitFor(/name/i);
    c.send('Mistyped');
    await c.waitFor(/\(y\/n\)/);
    c.send('n');
    await c.waitFor(/name/i);
    c.close();
  });

  it('invalid names are asked again', async () => {
    const c = await TelnetClient.connect(server.telnetPort);
    await c.waitFor(/name/i);
    for (const bad of ['x', 'Abdul Alhazred', 'nyarlathotep99', 'Y-golonac', 'AVeryLongNameIndeedForArkham', 'Ñyogtha']) {
      c.send(bad);
      await c.waitFor(/2 to 20 letters[^\n]*\n[^\n]*name/i);
    }
    c.send(''); // an empty answer just asks again
    await c.waitFor(/name/i);
    c.send('Alhazred');
    await c.waitFor(/Alhazred[^\n]*\(y\/n\)/);
    c.close();
  });

  it('three wrong passwords close the connection', async () => {
    await existing('castro', 'cthulhu-fhtagn');
    const c = await atPassword('castro');
    for (let i = 0; i < 2; i++) {
      c.send(`wrong-${i}`);
      await c.waitFor(/wrong password[\s\S]*password/i);
    }
    c.send('wrong-2');
    await c.waitClosed();
    expect(c.text).toMatch(/Too many wrong passwords/i);
    expect(c.text).not.toMatch(/Welcome to Arkham/);
  });

  it('a wrong then a right password lets the player in', async () => {
    await existing('angell', 'bas-relief');
    const c = await atPassword('angell');
    c.send('clay-tablet');
    await c.waitFor(/wrong password[\s\S]*password/i);
    c.send('bas-relief');
    await c.waitFor(/Welcome to Arkham, Angell\.[\s\S]*Exits:[^\n]*\n(?:Also here:[^\n]*\n)?> /);
    c.close();
  });

  it('a password is typed between IAC WILL ECHO and IAC WONT ECHO (client that agrees to ECHO)', async () => {
    const password = 'Necronomicon-1228';
    const c = await TelnetClient.connect(server.telnetPort);
    answerNegotiation(c, { do: [ECHO] }); // as telnet, TinTin++ and Mudlet do
    await c.waitFor(/name/i);
    c.send('Armitage');
    await c.waitFor(/\(y\/n\)/);
    c.send('y');
    await c.waitFor(/password/i);
    const chooseAt = c.bytes.length;
    c.send(password);
    await c.waitFor(/password/i);
    const repeatAt = c.bytes.length;
    c.send(password);
    await c.waitFor(/Exits:[^\n]*\n(?:Also here:[^\n]*\n)?> /);
    c.send('quit');
    await c.waitClosed();

    const firstPrompt = c.bytes.toString('latin1').search(/password/i);
    const wills = indexesOf(c.bytes, [IAC, WILL, ECHO]);
    const wonts = indexesOf(c.bytes, [IAC, WONT, ECHO]);
    expect(wills).toHaveLength(1);
    expect(wills[0]!).toBeLessThan(Math.min(firstPrompt, chooseAt));
    // No WONT ECHO while either password is typed; exactly one once the second has been sent.
    expect(wonts).toHaveLength(1);
    expect(wonts[0]!).toBeGreaterThanOrEqual(repeatAt);

    // Again as an existing character, with one wrong password first: still hidden for the retry.
    const again = await TelnetClient.connect(server.telnetPort);
    answerNegotiation(again, { do: [ECHO] });
    await again.waitFor(/name/i);
    const nameAt = again.bytes.length;
    again.send('armitage');
    await again.waitFor(/password/i);
    expect(indexesOf(again.bytes.subarray(nameAt), [IAC, WILL, ECHO])).toHaveLength(1);
    const typedAt = again.bytes.length;
    again.send('Necronomicon-1229');
    await again.waitFor(/wrong password[\s\S]*password/i);
    const rightAt = again.bytes.length;
    again.send(password);
    await again.waitFor(/Exits:[^\n]*\n(?:Also here:[^\n]*\n)?> /);
    expect(indexesOf(again.bytes.subarray(nameAt, rightAt), [IAC, WONT, ECHO])).toEqual([]);
    expect(indexesOf(again.bytes.subarray(rightAt), [IAC, WONT, ECHO])).toHaveLength(1);
    expect(typedAt).toBeLessThan(rightAt);

    for (const bytes of [c.bytes, again.bytes]) expect(bytes.includes('Necronomicon')).toBe(false);
    again.close();
  });

  it('a password is never echoed back, even to a client that ignores negotiation', async () => {
    const password = 'Dunwich-Horror-1928';
    const c = await TelnetClient.connect(server.telnetPort);
    await c.waitFor(/name/i);
    c.send('Rice');
    await c.waitFor(/\(y\/n\)/);
    c.send('y');
    await c.waitFor(/password/i);
    c.send(password);
    await c.waitFor(/password/i);
    c.send(password);
    await c.waitFor(/Exits:[^\n]*\n(?:Also here:[^\n]*\n)?> /);
    const wills = indexesOf(c.bytes, [IAC, WILL, ECHO]);
    expect(wills.length).toBeGreaterThan(0);
    expect(wills[0]!).toBeLessThan(c.bytes.toString('latin1').search(/password/i));
    c.send('say the words');
    await c.waitFor('You say, "the words"');
    expect(c.bytes.includes('Dunwich')).toBe(false);
    c.close();
  });
});

describe('telnet: one body per character', () => {
  it('logging in again takes over the body: the old connection is told and closed, no one sees two', async () => {
    const witness = await telnetLogin(server.telnetPort, 'peaslee');
    const first = await telnetLogin(server.telnetPort, 'danforth');
    await witness.waitFor('Danforth has entered the game.');
    first.send('north');
    await witness.waitFor('Danforth leaves north.');
    const mark = witness.text.length;

    const second = await telnetLogin(server.telnetPort, 'danforth');
    await first.waitClosed();
    expect(first.text).toMatch(/logged in as you from elsewhere/);
    // The body was taken over where it stood, not created anew in the start room.
    expect(second.text).toMatch(/Garrison Street\n[^\n]+\nExits:/);

    witness.send('who');
    const who = await witness.waitFor(/(\d+) investigators are abroad in Arkham:\n((?:  [^\n]+\n)+)/);
    expect(who[2]!.match(/Danforth/g)).toHaveLength(1);
    expect(who[2]).toMatch(/Peaslee/);
    expect(witness.text.slice(mark)).not.toMatch(/Danforth (has entered|arrives|appears)/);

    second.send('south');
    await witness.waitFor('Danforth arrives from the north.');
    witness.send('look');
    const look = await witness.waitFor(/Also here: ([^\n]*)\n> /);
    expect(look[1]!.match(/Danforth/g)).toHaveLength(1);
    second.send('say only one of me');
    await witness.waitFor('Danforth says, "only one of me"');
    for (const c of [witness, second]) c.close();
  });
});

describe('telnet: lost link', () => {
  it('others see the link lost; logging back in takes the body back', async () => {
    const witness = await telnetLogin(server.telnetPort, 'wilcox');
    const dropper = await telnetLogin(server.telnetPort, 'johansen');
    await witness.waitFor('Johansen has entered the game.');
    dropper.send('east');
    await witness.waitFor('Johansen leaves east.');
    witness.send('east');
    await witness.waitFor(/Also here: Johansen\.\n> /);

    dropper.socket.destroy(); // no quit, no FIN handshake from the game's point of view
    await witness.waitFor(/Johansen[^\n]*lost[^\n]*link/);
    witness.send('look');
    await witness.waitFor(/Also here: Johansen \(link-dead\)\.\n> /);
    witness.send('who');
    await witness.waitFor(/Johansen \(link-dead\)/);

    const mark = witness.text.length;
    const back = await telnetLogin(server.telnetPort, 'johansen');
    expect(back.text).toMatch(/Also here: Wilcox\.\n> /); // back in the room he dropped in
    await witness.waitFor(/Johansen is back\./);
    expect(witness.text.slice(mark)).not.toMatch(/Johansen has entered the game/);
    witness.send('look');
    await witness.waitFor(/Also here: Johansen\.\n> /);
    back.send('say the sea');
    await witness.waitFor('Johansen says, "the sea"');
    for (const c of [witness, back]) c.close();
  });
});

describe('telnet: short timers', () => {
  let quick: ServerProcess;
  beforeAll(async () => {
    quick = await startServer({ args: ['--resume-window', '1'] });
  });
  afterAll(async () => {
    await quick.stop();
    removeDir(quick.dataDir);
  });

  it('a lost link that is not taken back within the resume window leaves the game', async () => {
    const witness = await telnetLogin(quick.telnetPort, 'legrasse');
    const dropper = await telnetLogin(quick.telnetPort, 'castle');
    await witness.waitFor('Castle has entered the game.');
    dropper.socket.destroy();
    await witness.waitFor(/Castle[^\n]*lost[^\n]*link/);
    await witness.waitFor(/Castle[^\n]*(fade|left)[^\n]*/, 15_000);
    witness.send('who');
    await witness.waitFor(/One investigator is abroad in Arkham:\n  Legrasse/);
    // The character was saved and can come back, as a new arrival.
    const back = await telnetLogin(quick.telnetPort, 'castle');
    await witness.waitFor('Castle has entered the game.');
    for (const c of [witness, back]) c.close();
  });
});
