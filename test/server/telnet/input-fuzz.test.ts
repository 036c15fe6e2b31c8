// The telnet door's input path, parser then line splitter, over 100,000 random byte streams in
// random chunks: it never throws, never holds more than its bounds, turns every IAC sequence into
// an event or drops it (none reaches a line as data), and always finds its feet again.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DO, DONT, GA, IAC, NOP, SB, SE, WILL, WONT } from '../../../server/telnet/codes.js';
import { LineSplitter, type Line } from '../../../server/telnet/lines.js';
import { TelnetParser } from '../../../server/telnet/parser.js';
import { split } from './split.js';

const MAX_SB = 64;
const MAX_LINE = 128;

interface Result {
  lines: Line[];
  dataBytes: number[];
  subnegotiations: number[];
  verbs: number[];
}

function run(chunks: Buffer[]): Result {
  const r: Result = { lines: [], dataBytes: [], subnegotiations: [], verbs: [] };
  const lines = new LineSplitter((l) => r.lines.push(l), MAX_LINE);
  const parser = new TelnetParser(
    {
      data: (bytes) => {
        r.dataBytes.push(...bytes);
        lines.push(bytes);
      },
      command: () => {},
      negotiate: (verb) => r.verbs.push(verb),
      subnegotiation: (_option, payload) => r.subnegotiations.push(payload.length),
    },
    MAX_SB,
  );
  for (const c of chunks) parser.push(c);
  return r;
}

/** Bytes biased towards what telnet means: IAC, the verbs, SB/SE, line ends, UTF-8 lead bytes. */
const telnetish = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(IAC, SB, SE, WILL, WONT, DO, DONT, GA, NOP, 0x0d, 0x0a, 0x00, 0x08, 0x1b, 0xc3, 0xe2) },
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 255 }) },
);
const stream = fc.array(telnetish, { maxLength: 200 }).map((a) => Buffer.from(a));

/** After any junk, this brings the parser back to plain data whatever state it was left in. */
const RESYNC = Buffer.from([IAC, SE, IAC, SE, 0x0d, 0x0a]);

const hasDoubledIac = (b: Buffer) => b.includes(Buffer.from([IAC, IAC]));

describe('telnet input: parser and line splitter over random streams', () => {
  it('100,000 streams: no throw, bounded, no IAC leaks into lines, and the next line after a resync is read right', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (raw, cuts) => {
        const wire = Buffer.concat([raw, RESYNC, Buffer.from('hello\r\n')]);
        const r = run(split(wire, cuts));
        // Bounded: no line, no subnegotiation past its limit, however the stream misbehaves.
        for (const l of r.lines) expect(l.bytes).toBeLessThanOrEqual(MAX_LINE);
        for (const n of r.subnegotiations) expect(n).toBeLessThanOrEqual(MAX_SB);
        for (const v of r.verbs) expect([WILL, WONT, DO, DONT]).toContain(v);
        // An IAC reaches the data only as the escaped IAC IAC; every other one was a command,
        // a negotiation, a subnegotiation, or dropped.
        if (!hasDoubledIac(wire)) expect(r.dataBytes).not.toContain(IAC);
        // Whatever came before, the parser is back on its feet.
        expect(r.lines.at(-1)?.text).toBe('hello');
      }),
      { numRuns: 100_000 },
    );
  }, 180_000);

  it('chunking never changes what is read (10,000 streams)', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 30 }), (raw, cuts) => {
        const whole = run([raw]);
        const cut = run(split(raw, cuts));
        expect(cut.lines).toEqual(whole.lines);
        expect(cut.verbs).toEqual(whole.verbs);
        expect(cut.subnegotiations).toEqual(whole.subnegotiations);
      }),
      { numRuns: 10_000 },
    );
  }, 120_000);
});
