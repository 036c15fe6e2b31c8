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

  it('once sealed after its fan-out, keeps only its JSON: the same envelope, renderings made anew', async () => {
    const event = new Outbound('player_left', 'arkham_downtown_001', 'p2', {
      player_id: 'p2',
      player_name: 'Marsh',
      to: 'north',
      message: 'Marsh leaves north.',
    });
    let renders = 0;
    const render = () => ++renders;
    const before = { json: event.json(5), envelope: event.envelope(5), data: event.data };
    event.memo('telnet:0:80', render);
    event.sealAfterFanOut();
    // The fan-out in progress still sees the live event.
    expect(event.data).toBe(before.data);
    event.memo('telnet:0:80', render);
    expect(renders).toBe(1);
    await Promise.resolve(); // the fan-out is over
    expect(event.data).not.toBe(before.data); // rebuilt from the JSON: the objects were let go
    expect(event.data).toEqual(before.data);
    expect(event.json(5)).toBe(before.json);
    expect(event.envelope(5)).toEqual(before.envelope);
    event.memo('telnet:0:80', render);
    expect(renders).toBe(2); // the renderings were let go too
  });
});
