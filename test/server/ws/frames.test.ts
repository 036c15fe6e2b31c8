import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientMessage, MAX_LINE_BYTES } from '../../../shared/protocol.js';
import { CLIENT_TYPES, MAX_PARSED_FRAME_BYTES, parseFrame } from '../../../server/ws/frames.js';

const text = (s: string) => parseFrame(Buffer.from(s), false);

describe('parseFrame', () => {
  it('knows the client message types of the schema', () => {
    expect([...CLIENT_TYPES].sort()).toEqual(['command', 'login', 'ping', 'register', 'resume']);
  });

  it('accepts each client message', () => {
    expect(text('{"type":"ping"}')).toEqual({ ok: true, message: { type: 'ping' } });
    expect(text('{"type":"command","text":"say hi"}')).toEqual({ ok: true, message: { type: 'command', text: 'say hi' } });
    expect(text('{"type":"resume","session_token":"t","last_sequence":4}').ok).toBe(true);
    expect(text('{"type":"login","name":"armitage","password":"pw"}').ok).toBe(true);
    expect(text('{"type":"register","name":"armitage","password":"secret-pass"}').ok).toBe(true);
  });

  it('accepts a frame delivered as fragments', () => {
    const parsed = parseFrame([Buffer.from('{"type":'), Buffer.from('"ping","id":1}')], false);
    expect(parsed).toEqual({ ok: true, message: { type: 'ping', id: 1 } });
  });

  it.each([
    ['not JSON', 'hello', 'bad_json'],
    ['truncated JSON', '{"type":"ping"', 'bad_json'],
    ['an empty frame', '', 'bad_json'],
    ['a JSON string', '"ping"', 'bad_message'],
    ['a JSON array', '[{"type":"ping"}]', 'bad_message'],
    ['null', 'null', 'bad_message'],
    ['an object without type', '{"text":"look"}', 'bad_message'],
    ['a numeric type', '{"type":5}', 'bad_message'],
    ['an unknown type', '{"type":"dance"}', 'unknown_type'],
    ['a command without text', '{"type":"command"}', 'bad_message'],
    ['a register with a bad name', '{"type":"register","name":"r2d2","password":"secret-pass"}', 'bad_message'],
  ])('rejects %s', (_what, frame, code) => {
    const parsed = text(frame);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.code).toBe(code);
      expect(parsed.message.length).toBeGreaterThan(0);
    }
  });

  it('says what is wrong with a message, field by field', () => {
    const parsed = text('{"type":"resume","session_token":"","last_sequence":-1}');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/session_token.*last_sequence/);
  });

  it('rejects binary frames', () => {
    expect(parseFrame(Buffer.from('{"type":"ping"}'), true)).toMatchObject({ ok: false, code: 'binary_frame' });
  });

  it('keeps a reply about a hostile frame short', () => {
    const parsed = text(JSON.stringify({ type: 'x'.repeat(10_000) }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message.length).toBeLessThanOrEqual(300);
  });
});

describe('parseFrame: too_long', () => {
  it('answers a command over the line limit, counted in UTF-8 bytes, with too_long', () => {
    const command = (t: string) => text(JSON.stringify({ type: 'command', text: t }));
    expect(command('x'.repeat(MAX_LINE_BYTES)).ok).toBe(true);
    expect(command('x'.repeat(MAX_LINE_BYTES + 1))).toMatchObject({ ok: false, code: 'too_long' });
    expect(command('☠'.repeat(MAX_LINE_BYTES / 3)).ok).toBe(true); // 3 bytes each
    expect(command('☠'.repeat(MAX_LINE_BYTES / 3 + 1))).toMatchObject({ ok: false, code: 'too_long' });
  });

  it('answers any frame too big to be a message without parsing it', () => {
    const big = Buffer.from(JSON.stringify({ type: 'login', name: 'a', password: 'p'.repeat(MAX_PARSED_FRAME_BYTES) }));
    expect(parseFrame(big, false)).toMatchObject({ ok: false, code: 'too_long' });
    expect(parseFrame(Buffer.alloc(MAX_PARSED_FRAME_BYTES + 1, 0x7b), false)).toMatchObject({ ok: false, code: 'too_long' });
  });
});

describe('parseFrame over random input (properties)', () => {
  const CODES = ['bad_json', 'bad_message', 'unknown_type', 'too_long'];

  const check = (frame: Buffer) => {
    const parsed = parseFrame(frame, false);
    if (parsed.ok) {
      // What passes is exactly a ClientMessage, and nothing else gets through.
      expect(ClientMessage.safeParse(parsed.message).success).toBe(true);
    } else {
      expect(CODES).toContain(parsed.code);
      expect(parsed.message.length).toBeGreaterThan(0);
      expect(parsed.message.length).toBeLessThanOrEqual(300);
    }
  };

  it('any JSON value: a ClientMessage or a clear error, never a throw (20,000 values)', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 3 }), (json) => check(Buffer.from(json))), { numRuns: 20_000 });
  });

  it('objects shaped like client messages, with random fields (20,000)', () => {
    const field = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));
    const message = fc.record(
      {
        type: fc.oneof(fc.constantFrom(...CLIENT_TYPES), fc.string({ maxLength: 8 })),
        text: field,
        name: fc.oneof(fc.constantFrom('armitage', 'Wilmarth', 'a', 'r2d2'), field),
        password: field,
        session_token: field,
        last_sequence: field,
        id: field,
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(fc.property(message, (m) => check(Buffer.from(JSON.stringify(m)))), { numRuns: 20_000 });
  });

  it('random bytes: never a throw (20,000)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => check(Buffer.from(bytes))), { numRuns: 20_000 });
  });
});
