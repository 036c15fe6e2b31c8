import { describe, expect, it } from 'vitest';
import { Envelope } from '../../../shared/protocol.js';
import { Outbound } from '../../../server/core/outbound.js';

describe('Outbound', () => {
  const out = new Outbound('message', 'arkham_downtown_001', 'p1', {
    channel: 'say',
    from: { id: 'p1', name: 'Wilmarth' },
    text: 'Ia! Ärger ☠ "quoted"',
    message: 'Wilmarth says, "Ia! Ärger ☠ \\"quoted\\""',
  });

  it('makes the envelope JSON for any sequence number, valid to the schema', () => {
    const parsed = Envelope.parse(JSON.parse(out.json(42)));
    expect(parsed.sequence_number).toBe(42);
    expect(parsed).toEqual(out.envelope(42));
  });

  it('gives the JSON around the sequence number with the UTF-8 length of each part', () => {
    const [head, tail] = out.jsonParts();
    for (const seq of [0, 7, 123456789]) expect(head.text + seq + tail.text).toBe(out.json(seq));
    expect(head.bytes).toBe(Buffer.byteLength(head.text));
    expect(tail.bytes).toBe(Buffer.byteLength(tail.text));
    expect(tail.bytes).toBeGreaterThan(tail.text.length); // the text has multi-byte characters
    expect(out.jsonParts()[0]).toBe(head); // worked out once
  });

  it('is restored from its JSON as it was sent: the same envelope, timestamp and all', () => {
    const back = Outbound.restore(out.json(9));
    expect(back.eventType).toBe('message');
    expect(back.timestamp).toBe(out.timestamp);
    expect(back.json(9)).toBe(out.json(9));
    expect(back.envelope(3)).toEqual(out.envelope(3));
  });
});
