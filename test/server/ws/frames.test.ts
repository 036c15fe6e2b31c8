import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES, parseFrame } from '../../../server/ws/frames.js';

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
