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

  it('gives the same JSON as UTF-8 bytes around the sequence number', () => {
    const [head, tail] = out.jsonBuffers();
    for (const seq of [0, 7, 123456789]) {
      expect(Buffer.concat([head, Buffer.from(String(seq)), tail]).toString('utf8')).toBe(out.json(seq));
    }
    expect(out.jsonBuffers()[0]).toBe(head); // encoded once
  });
});
