// Classic clients as they really negotiate (issue 15): the charset and colour each is sent follow
// what it said, and what its player chose, kept with the account. The peers answer with the exact
// words TinyFugue 5, TinTin++ 2.02 and plain telnet were seen to send (a capture on this machine).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startServer, stripTelnet, TELNET, telnetLogin, type NegotiationAnswers, type ServerProcess } from './harness.js';
import { wsEnter, type WsPlayer } from './ws-client.js';

const TINYFUGUE: NegotiationAnswers = { ttype: ['TINYFUGUE', 'ANSI-ATTR', 'ANSI', 'UNKNOWN'], do: [TELNET.EOR], naws: { width: 119, height: 36 } };
const TINTIN: NegotiationAnswers = { ttype: ['TINTIN++', 'tmux-256color', 'MTTS 271'], do: [TELNET.EOR], charset: true };
const CHARSET_ONLY: NegotiationAnswers = { ttype: 'MUDCLIENT', charset: true };

const SAID = 'TF should see this — café ☠ and Ünïcödé, whole';
const ESC = 0x1b;

let server: ServerProcess;
let speaker: WsPlayer;

beforeAll(async () => {
  server = await startServer();
  speaker = await wsEnter(server.wsUrl, 'wilmarth');
});
afterAll(async () => {
  speaker?.client.close();
  await server.stop();
  removeDir(server.dataDir);
});

/** Says SAID from the WebSocket player and returns the raw bytes of the line `name` is shown. */
async function heardBy(c: Awaited<ReturnType<typeof telnetLogin>>): Promise<Buffer> {
  const mark = c.bytes.length;
  speaker.client.command(`say ${SAID}`);
  await c.waitFor(/Wilmarth says, "[^\n]*whole"/);
  const bytes = stripTelnet(c.bytes.subarray(mark));
  const start = bytes.indexOf('Wilmarth says');
  return bytes.subarray(start, bytes.indexOf('\r\n', start));
}

describe('text a client can show', () => {
  it('TinyFugue (no CHARSET, no UTF-8 in its TTYPE): the line in ASCII, whole, and in colour', async () => {
    const tf = await telnetLogin(server.telnetPort, 'tfuser', 'secret-pass', TINYFUGUE);
    const line = await heardBy(tf);
    // Colour: ANSI-ATTR and ANSI promised it; the UNKNOWN after them does not take it away.
    expect(line.includes(ESC)).toBe(true);
    const text = line.toString('latin1').replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toBe('Wilmarth says, "TF should see this - cafe ? and Unicode, whole"');
    expect([...line].every((b) => b < 0x80)).toBe(true);
    tf.close();
  });

  it('TinTin++ (MTTS 271 has the UTF-8 bit, and it accepts CHARSET UTF-8): the line in UTF-8', async () => {
    const tt = await telnetLogin(server.telnetPort, 'ttuser', 'secret-pass', TINTIN);
    const line = await heardBy(tt);
    expect(line.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '')).toBe(`Wilmarth says, "${SAID}"`);
    tt.close();
  });

  it('a client that only agrees to CHARSET UTF-8 gets UTF-8', async () => {
    const c = await telnetLogin(server.telnetPort, 'csuser', 'secret-pass', CHARSET_ONLY);
    const line = await heardBy(c);
    expect(line.toString('utf8')).toBe(`Wilmarth says, "${SAID}"`);
    c.close();
  });

  it('plain telnet that says nothing: ASCII, no colour', async () => {
    const c = await telnetLogin(server.telnetPort, 'plainuser');
    const line = await heardBy(c);
    expect(line.toString('latin1')).toBe('Wilmarth says, "TF should see this - cafe ? and Unicode, whole"');
    c.close();
  });

  it('encoding latin-1 is kept with the account: Latin-1 bytes now and at the next login', async () => {
    let c = await telnetLogin(server.telnetPort, 'latinuser', 'secret-pass', TINYFUGUE);
    c.send('encoding latin-1');
    await c.waitFor('Encoding: latin-1');
    const expected = Buffer.from('Wilmarth says, "TF should see this - café ? and Ünïcödé, whole"', 'latin1');
    const strip = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\x1b\[[0-9;]*m/g, ''), 'latin1');
    expect(strip(await heardBy(c)).equals(expected)).toBe(true);
    // What a Latin-1 terminal types is read as Latin-1.
    c.write(Buffer.concat([Buffer.from('say '), Buffer.from('crème brûlée', 'latin1'), Buffer.from('\r\n')]));
    const back = await speaker.client.waitFor('message', (e) => e.data.from?.name === 'Latinuser');
    expect(back.data.text).toBe('crème brûlée');
    c.send('quit');
    await c.waitClosed();

    c = await telnetLogin(server.telnetPort, 'latinuser', 'secret-pass', TINYFUGUE);
    expect(strip(await heardBy(c)).equals(expected)).toBe(true);
    c.send('encoding');
    await c.waitFor(/Encoding: latin-1[^\n]*\nChange it with: encoding auto \| utf-8 \| latin-1 \| ascii/);
    c.close();
  });

  it('colour off and colour on, for a client that said nothing of colour', async () => {
    const c = await telnetLogin(server.telnetPort, 'colouruser');
    expect((await heardBy(c)).includes(ESC)).toBe(false);
    c.send('colour on');
    await c.waitFor('Colour: on');
    expect((await heardBy(c)).includes(ESC)).toBe(true);
    c.send('color off');
    await c.waitFor('Colour: off');
    expect((await heardBy(c)).includes(ESC)).toBe(false);
    c.send('colour purple');
    await c.waitFor(/"purple" is not a choice\. colour auto \| on \| off \| 256/);
    c.close();
  });
});
