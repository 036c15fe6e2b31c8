// Deliveries are plain data: the same play, with every delivery sent through JSON and its schema
// or handed over as it is, reaches the players as the very same envelopes.
import { afterEach, describe, expect, it } from 'vitest';
import { Delivery, wireEvent } from '../../../server/core/delivery.js';
import { makeGame, type TestGame } from '../helpers.js';

const games: TestGame[] = [];
afterEach(() => {
  for (const g of games.splice(0)) g.cleanup();
});

/** Three players, a walk, speech on every channel, a quit: what each of them received. */
function play(checkDeliveries: boolean) {
  const tg = makeGame({ checkDeliveries });
  games.push(tg);
  const a = tg.join('armitage');
  const b = tg.join('wilmarth', { door: 'ws' });
  const c = tg.join('marsh');
  a.type('say the stars are right');
  b.type('emote shivers.');
  c.type('tell armitage meet me at the library');
  a.type('chat anyone awake?');
  a.type('north');
  a.type('south');
  c.type('look');
  c.type('quit');
  const seen = (p: typeof a) => {
    expect(p.conn.problems).toEqual([]);
    // Ids and timestamps differ between the two games; everything else must not.
    return JSON.stringify(p.conn.received)
      .replaceAll(p.account.id, 'SELF')
      .replace(/"timestamp":"[^"]+"/g, '"timestamp":"T"')
      .replace(/p_[0-9a-f]{12}/g, 'ID')
      .replace(/"session_token":"[^"]+"/g, '"session_token":"K"');
  };
  return [seen(a), seen(b), seen(c)];
}

describe('deliveries', () => {
  it('reach the players as the same envelopes, in the same order, when each one crossed JSON and its schema first', () => {
    const direct = play(false);
    const checked = play(true);
    expect(checked).toEqual(direct);
    expect(direct[0]).toContain('the stars are right');
    expect(direct[0]).toContain('meet me at the library');
  });

  it('are checked by their schema: a delivery that is not plain data is refused', () => {
    const event = wireEvent('command_output', null, 'p1', { text: 'hello' });
    expect(Delivery.parse(JSON.parse(JSON.stringify({ to: ['p1'], event })))).toEqual({ to: ['p1'], event });
    expect(Delivery.safeParse({ to: 'p1', event }).success).toBe(false);
    expect(Delivery.safeParse({ to: ['p1'], event: { ...event, event_type: 'no_such_event' } }).success).toBe(false);
    expect(Delivery.safeParse({ to: ['p1'], event: { ...event, data: 'text' } }).success).toBe(false);
  });
});
