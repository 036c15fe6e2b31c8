// TTYPE/MTTS and NAWS: what the client tells us about its terminal, through the real parser and
// negotiator, as the bytes arrive from the wire.
import { describe, expect, it } from 'vitest';
import { IAC, OPT, SB, SE, WILL, WONT, type Verb } from '../../../server/telnet/codes.js';
import { nawsOption } from '../../../server/telnet/naws.js';
import { Negotiator } from '../../../server/telnet/negotiation.js';
import { subnegotiation, TelnetParser } from '../../../server/telnet/parser.js';
import { colourLevel, MTTS, saysUtf8, ttypeOption, type TerminalInfo } from '../../../server/telnet/ttype.js';

const IS = 0;
const SEND_REQUEST = [IAC, SB, OPT.TTYPE, 1, IAC, SE];

/** The server side of a connection, minus the socket: wire bytes in, what we wrote out. */
function terminal() {
  const written: number[][] = [];
  const changes: TerminalInfo[] = [];
  const sizes: Array<[number, number]> = [];
  const negotiator = new Negotiator((verb: Verb, option) => written.push([IAC, verb, option]));
  const ttype = ttypeOption(
    (bytes) => written.push([...bytes]),
    (info) => changes.push({ ...info }),
  );
  negotiator.register(ttype);
  negotiator.register(nawsOption((w, h) => sizes.push([w, h])));
  const parser = new TelnetParser({
    data: () => {},
    command: () => {},
    negotiate: (verb, option) => negotiator.receive(verb, option),
    subnegotiation: (option, payload) => negotiator.subnegotiation(option, payload),
  });
  const wire = (...bytes: Array<number | Buffer>) =>
    parser.push(Buffer.concat(bytes.map((b) => (typeof b === 'number' ? Buffer.from([b]) : b))));
  const answer = (name: string) => wire(subnegotiation(OPT.TTYPE, Buffer.concat([Buffer.from([IS]), Buffer.from(name, 'latin1')])));
  const sends = () => written.filter((w) => w.join() === SEND_REQUEST.join()).length;
  return { written, changes, sizes, ttype, negotiator, wire, answer, sends };
}

describe('TTYPE with MTTS', () => {
  it('asks SEND once the client agrees, and cycles until an answer repeats: client, terminal, MTTS', () => {
    const t = terminal();
    t.negotiator.setRemote(OPT.TTYPE, true);
    t.wire(IAC, WILL, OPT.TTYPE);
    expect(t.sends()).toBe(1);
    t.answer('MUDLET');
    expect(t.sends()).toBe(2);
    t.answer('ANSI-TRUECOLOR');
    expect(t.sends()).toBe(3);
    t.answer('MTTS 2825');
    expect(t.sends()).toBe(4);
    t.answer('MTTS 2825'); // the end of the list: repeated
    expect(t.sends()).toBe(4);
    expect(t.ttype.info).toEqual({ client: 'MUDLET', terminals: ['ANSI-TRUECOLOR', 'MTTS 2825'], mtts: 2825 });
    expect(colourLevel(t.ttype.info)).toBe(3); // 2825 has the truecolour bit (256)
    expect(saysUtf8(t.ttype.info)).toBe(false); // but not the UTF-8 bit (4)
  });

  it("TinyFugue's exact answers: colour from ANSI-ATTR and ANSI, not taken away by the UNKNOWN after them", () => {
    const t = terminal();
    t.wire(IAC, WILL, OPT.TTYPE);
    for (const name of ['TINYFUGUE', 'ANSI-ATTR', 'ANSI', 'UNKNOWN', 'UNKNOWN']) t.answer(name);
    expect(t.sends()).toBe(5);
    expect(t.ttype.info).toEqual({ client: 'TINYFUGUE', terminals: ['ANSI-ATTR', 'ANSI', 'UNKNOWN'], mtts: null });
    expect(t.changes.map((c) => colourLevel(c))).toEqual([1, 1, 1, 1, 1]);
    expect(saysUtf8(t.ttype.info)).toBe(false); // TinyFugue gets ASCII
  });

  it("TinTin++'s answers: 256 colours and UTF-8 from its MTTS bits", () => {
    const t = terminal();
    t.wire(IAC, WILL, OPT.TTYPE);
    for (const name of ['TINTIN++', 'tmux-256color', 'MTTS 271', 'MTTS 271']) t.answer(name);
    expect(t.ttype.info.mtts).toBe(271);
    expect(colourLevel(t.ttype.info)).toBe(3);
    expect(saysUtf8(t.ttype.info)).toBe(true);
  });

  it('stops asking when an answer repeats (a client with one name)', () => {
    const t = terminal();
    t.wire(IAC, WILL, OPT.TTYPE);
    t.answer('XTERM');
    t.answer('XTERM');
    expect(t.sends()).toBe(2);
    expect(t.ttype.info).toEqual({ client: 'XTERM', terminals: [], mtts: null });
    expect(colourLevel(t.ttype.info)).toBe(1);
  });

  it('asks at most eight times of a client that invents a new name each time', () => {
    const t = terminal();
    t.wire(IAC, WILL, OPT.TTYPE);
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J']) t.answer(name);
    expect(t.sends()).toBe(8);
  });

  it('ignores TTYPE answers before the option is on, and SEND (not IS) from the client', () => {
    const t = terminal();
    t.answer('MUDLET');
    expect(t.ttype.info.client).toBeNull();
    t.wire(IAC, WILL, OPT.TTYPE);
    t.wire(subnegotiation(OPT.TTYPE, Buffer.from([1])));
    expect(t.ttype.info.client).toBeNull();
    t.wire(IAC, WONT, OPT.TTYPE);
    t.answer('LATE');
    expect(t.ttype.info.client).toBeNull();
  });

  it('keeps a terminal name short and printable', () => {
    const t = terminal();
    t.wire(IAC, WILL, OPT.TTYPE);
    t.answer(`EVIL\x1b[2J\x07${'X'.repeat(200)}`);
    expect(t.ttype.info.client).toMatch(/^EVIL\[2JX+$/);
    expect(t.ttype.info.client!.length).toBeLessThanOrEqual(64);
  });
});

describe('colourLevel', () => {
  const info = (client: string | null, terminal: string | null = null, mtts: number | null = null): TerminalInfo => ({
    client,
    terminals: terminal === null ? [] : [terminal],
    mtts,
  });

  it('follows the MTTS bits when the client sent them', () => {
    expect(colourLevel(info('X', null, 0))).toBe(0);
    expect(colourLevel(info('X', null, MTTS.UTF8))).toBe(0);
    expect(colourLevel(info('X', null, MTTS.ANSI))).toBe(1);
    expect(colourLevel(info('X', null, MTTS.ANSI | MTTS.COLORS_256))).toBe(2);
    expect(colourLevel(info('X', null, MTTS.ANSI | MTTS.COLORS_256 | MTTS.TRUECOLOR))).toBe(3);
    expect(colourLevel(info('dumb', null, MTTS.ANSI))).toBe(1); // bits beat names
  });

  it('guesses from the names otherwise', () => {
    expect(colourLevel(info(null))).toBe(0);
    expect(colourLevel(info('DUMB'))).toBe(0);
    expect(colourLevel(info('UNKNOWN'))).toBe(0);
    expect(colourLevel(info('SOMETHING-ODD'))).toBe(0);
    expect(colourLevel(info('XTERM'))).toBe(1);
    expect(colourLevel(info('ANSI'))).toBe(1);
    expect(colourLevel(info('VT100'))).toBe(1);
    expect(colourLevel(info('XTERM-256COLOR'))).toBe(2);
    expect(colourLevel(info('MUDLET'))).toBe(2);
    expect(colourLevel(info('TINTIN++'))).toBe(2);
    expect(colourLevel(info('TINYFUGUE', 'UNKNOWN'))).toBe(1);
  });

  it('takes the richest of all the names, whatever their order', () => {
    expect(colourLevel({ client: 'SOMECLIENT', terminals: ['XTERM-256COLOR', 'VT100', 'DUMB'], mtts: null })).toBe(2);
    expect(saysUtf8({ client: 'X', terminals: ['XTERM-UTF-8'], mtts: null })).toBe(true);
    expect(saysUtf8({ client: 'X', terminals: ['XTERM-UTF-8'], mtts: MTTS.ANSI })).toBe(false); // bits decide
  });
});

describe('NAWS', () => {
  it('reads width and height as unsigned 16-bit numbers, including 255 (doubled on the wire)', () => {
    const t = terminal();
    t.wire(IAC, WILL, OPT.NAWS);
    t.wire(IAC, SB, OPT.NAWS, 0, 80, 0, 24, IAC, SE);
    t.wire(IAC, SB, OPT.NAWS, 0, IAC, IAC, 0, IAC, IAC, IAC, SE); // 255 x 255
    t.wire(IAC, SB, OPT.NAWS, 0x9c, 0x40, 0x80, 0x00, IAC, SE); // 40000 x 32768: never negative
    t.wire(IAC, SB, OPT.NAWS, IAC, IAC, IAC, IAC, IAC, IAC, IAC, IAC, IAC, SE); // 65535 x 65535
    expect(t.sizes).toEqual([
      [80, 24],
      [255, 255],
      [40000, 32768],
      [65535, 65535],
    ]);
  });

  it('takes a size split across reads', () => {
    const t = terminal();
    t.wire(IAC, WILL, OPT.NAWS);
    for (const b of [IAC, SB, OPT.NAWS, 0, 132, 0, 50, IAC, SE]) t.wire(b);
    expect(t.sizes).toEqual([[132, 50]]);
  });

  it('ignores a payload of the wrong length, and NAWS the client never agreed to', () => {
    const t = terminal();
    t.wire(IAC, SB, OPT.NAWS, 0, 80, 0, 24, IAC, SE); // before WILL NAWS
    t.wire(IAC, WILL, OPT.NAWS);
    t.wire(IAC, SB, OPT.NAWS, 0, 80, 0, IAC, SE);
    t.wire(IAC, SB, OPT.NAWS, 0, 80, 0, 24, 0, IAC, SE);
    t.wire(IAC, SB, OPT.NAWS, IAC, SE);
    expect(t.sizes).toEqual([]);
  });
});
