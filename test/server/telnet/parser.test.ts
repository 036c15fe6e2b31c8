import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DO, DONT, GA, IAC, NOP, SB, SE, WILL, WONT, type Verb } from '../../../server/telnet/codes.js';
import { escapeIAC, subnegotiation, TelnetParser } from '../../../server/telnet/parser.js';
import { split } from './split.js';

type Ev =
  | { kind: 'data'; bytes: number[] }
  | { kind: 'command'; code: number }
  | { kind: 'negotiate'; verb: number; option: number }
  | { kind: 'sb'; option: number; payload: number[] }
  | { kind: 'error' };

/** Parses `chunks` in order and returns the events, adjacent data merged (reads may split it). */
function parse(chunks: Buffer[], maxSub?: number): Ev[] {
  const events: Ev[] = [];
  const parser = new TelnetParser(
    {
      data: (b) => {
        const last = events.at(-1);
        if (last?.kind === 'data') last.bytes.push(...b);
        else events.push({ kind: 'data', bytes: [...b] });
      },
      command: (code) => events.push({ kind: 'command', code }),
      negotiate: (verb, option) => events.push({ kind: 'negotiate', verb, option }),
      subnegotiation: (option, payload) => events.push({ kind: 'sb', option, payload: [...payload] }),
      protocolError: () => events.push({ kind: 'error' }),
    },
    maxSub,
  );
  for (const c of chunks) parser.push(c);
  return events.filter((e) => e.kind !== 'data' || e.bytes.length > 0);
}

// A valid telnet stream as tokens: each token's bytes on the wire and the event it must give.
const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => [...a]);
const plainCommand = fc.integer({ min: 0, max: 255 }).filter((c) => c !== IAC && c !== SB && (c < WILL || c > DONT));
const token = fc.oneof(
  bytes(40).map((b): { wire: number[]; ev: Ev } => ({ wire: [...escapeIAC(Buffer.from(b))], ev: { kind: 'data', bytes: b } })),
  plainCommand.map((code) => ({ wire: [IAC, code], ev: { kind: 'command', code } as Ev })),
  fc
    .record({ verb: fc.constantFrom(WILL, WONT, DO, DONT), option: fc.integer({ min: 0, max: 255 }) })
    .map(({ verb, option }) => ({ wire: [IAC, verb, option], ev: { kind: 'negotiate', verb, option } as Ev })),
  fc
    .record({ option: fc.integer({ min: 0, max: 255 }), payload: bytes(40) })
    .map(({ option, payload }) => ({
      wire: [...subnegotiation(option, Buffer.from(payload))],
      ev: { kind: 'sb', option, payload } as Ev,
    })),
);

/** The events a token list must give: data merged as parse() merges it, empty data dropped. */
function expected(tokens: Array<{ ev: Ev }>): Ev[] {
  const out: Ev[] = [];
  for (const { ev } of tokens) {
    if (ev.kind === 'data') {
      if (ev.bytes.length === 0) continue;
      const last = out.at(-1);
      if (last?.kind === 'data') last.bytes = [...last.bytes, ...ev.bytes];
      else out.push({ kind: 'data', bytes: [...ev.bytes] });
    } else out.push(ev);
  }
  return out;
}

describe('TelnetParser', () => {
  it('decodes data, doubled IAC, commands, negotiation and subnegotiation', () => {
    const wire = Buffer.from([
      0x68, 0x69, IAC, IAC, 0x21, // "hi", 0xFF, "!"
      IAC, GA,
      IAC, WILL, 24,
      IAC, SB, 31, 0, 80, IAC, IAC, 0, 24, IAC, SE, // a doubled IAC inside the payload
      IAC, DONT, 1,
      0x6f, 0x6b,
    ]);
    expect(parse([wire])).toEqual([
      { kind: 'data', bytes: [0x68, 0x69, IAC, 0x21] },
      { kind: 'command', code: GA },
      { kind: 'negotiate', verb: WILL, option: 24 },
      { kind: 'sb', option: 31, payload: [0, 80, IAC, 0, 24] },
      { kind: 'negotiate', verb: DONT, option: 1 },
      { kind: 'data', bytes: [0x6f, 0x6b] },
    ]);
  });

  it('decodes any valid stream the same, however it is split across reads', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 20 }), (tokens, cuts) => {
        const wire = Buffer.from(tokens.flatMap((t) => t.wire));
        const want = expected(tokens);
        expect(parse([wire])).toEqual(want);
        expect(parse(split(wire, cuts))).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes a valid stream fed one byte at a time', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 20 }), (tokens) => {
        const wire = Buffer.from(tokens.flatMap((t) => t.wire));
        expect(parse([...wire].map((b) => Buffer.from([b])))).toEqual(expected(tokens));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on random bytes in random chunks, and chunking never changes the result', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 30 }), (raw, cuts) => {
        const wire = Buffer.from(raw);
        const whole = parse([wire], 64);
        expect(parse(split(wire, cuts), 64)).toEqual(whole);
        // Nothing is invented: data never exceeds the input, subnegotiations respect the limit.
        let dataBytes = 0;
        for (const e of whole) {
          if (e.kind === 'data') dataBytes += e.bytes.length;
          if (e.kind === 'sb') expect(e.payload.length).toBeLessThanOrEqual(64);
        }
        expect(dataBytes).toBeLessThanOrEqual(wire.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on random bytes biased towards telnet command bytes', () => {
    const telnetish = fc.oneof(fc.constantFrom(IAC, SB, SE, WILL, WONT, DO, DONT, GA, NOP, 0, 24, 31), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(telnetish, { maxLength: 300 }), fc.array(fc.nat(), { maxLength: 30 }), (raw, cuts) => {
        const wire = Buffer.from(raw);
        expect(parse(split(wire, cuts), 16)).toEqual(parse([wire], 16));
      }),
      { numRuns: 1000 },
    );
  });

  it('escapeIAC round-trips any bytes through the parser as data only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 10 }), (raw, cuts) => {
        const escaped = escapeIAC(Buffer.from(raw));
        const events = parse(split(escaped, cuts));
        expect(events).toEqual(raw.length ? [{ kind: 'data', bytes: [...raw] }] : []);
        expect(escaped.length).toBe(raw.length + raw.filter((b) => b === IAC).length);
      }),
      { numRuns: 500 },
    );
  });

  it('returns the same buffer from escapeIAC when there is no IAC to double', () => {
    const b = Buffer.from('plain text');
    expect(escapeIAC(b)).toBe(b);
    expect([...escapeIAC(Buffer.from([1, IAC, 2, IAC]))]).toEqual([1, IAC, IAC, 2, IAC, IAC]);
  });

  it('drops a subnegotiation over the limit, reports it, and parses on', () => {
    const wire = Buffer.concat([
      subnegotiation(201, Buffer.alloc(17, 0x41)),
      Buffer.from([IAC, WILL, 31]),
      subnegotiation(24, Buffer.alloc(16, 0x42)), // exactly the limit: delivered
      Buffer.from('after'),
    ]);
    const events = parse([wire], 16);
    expect(events).toEqual([
      { kind: 'error' },
      { kind: 'negotiate', verb: WILL, option: 31 },
      { kind: 'sb', option: 24, payload: Array(16).fill(0x42) },
      { kind: 'data', bytes: [...Buffer.from('after')] },
    ]);
  });

  it('keeps no more than the limit of a huge subnegotiation and recovers after it', () => {
    const chunks = [Buffer.from([IAC, SB, 201]), ...Array.from({ length: 64 }, () => Buffer.alloc(16_384, 0x41))];
    chunks.push(Buffer.from([IAC, SE, 0x6f, 0x6b]));
    expect(parse(chunks, 1024)).toEqual([{ kind: 'error' }, { kind: 'data', bytes: [0x6f, 0x6b] }]);
  });

  it('recovers from an unterminated SB followed by IAC <command>', () => {
    const wire = Buffer.from([IAC, SB, 24, 0, 0x41, IAC, WILL, 1, 0x68, 0x69, IAC, GA]);
    expect(parse([wire])).toEqual([
      { kind: 'error' },
      { kind: 'negotiate', verb: WILL, option: 1 },
      { kind: 'data', bytes: [0x68, 0x69] },
      { kind: 'command', code: GA },
    ]);
    // The same, with the IAC and the command in different reads.
    expect(parse(split(wire, [6]))).toEqual(parse([wire]));
    expect(parse(split(wire, [5, 6]))).toEqual(parse([wire]));
  });

  it('treats IAC SE outside a subnegotiation as a plain command and keeps parsing', () => {
    expect(parse([Buffer.from([IAC, SE, 0x61])])).toEqual([
      { kind: 'command', code: SE },
      { kind: 'data', bytes: [0x61] },
    ]);
  });

  it('passes the verb through as the negotiation byte it was', () => {
    const verbs: Verb[] = [WILL, WONT, DO, DONT];
    for (const verb of verbs) expect(parse([Buffer.from([IAC, verb, 42])])).toEqual([{ kind: 'negotiate', verb, option: 42 }]);
  });
});
