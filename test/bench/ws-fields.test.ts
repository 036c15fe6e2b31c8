import { describe, expect, it } from 'vitest';
import { stringField } from '../../bench/clients/ws.js';
import { Outbound } from '../../server/core/outbound.js';

describe("the load generator's field picker", () => {
  it('reads the same fields from a departure and an arrival as JSON.parse does', () => {
    const left = new Outbound('player_left', 'arkham.main', 'p_1', {
      player_id: 'p_1',
      player_name: 'Keziah',
      to: 'north',
      message: 'Keziah leaves north. "to":"south" \\ "player_name":"Nobody"',
    }).json(42);
    const entered = new Outbound('player_entered', 'arkham.hall', 'p_2', {
      player_id: 'p_2',
      player_name: 'Gilman',
      from: 'south',
      message: 'Gilman arrives from the south.',
    }).json(7);
    const a = JSON.parse(left) as { room_id: string; data: { player_name: string; to: string } };
    const b = JSON.parse(entered) as { room_id: string; data: { player_name: string; from: string } };
    expect(stringField(left, 'player_name')).toBe(a.data.player_name);
    expect(stringField(left, 'to')).toBe(a.data.to);
    expect(stringField(left, 'room_id')).toBe(a.room_id);
    expect(stringField(entered, 'player_name')).toBe(b.data.player_name);
    expect(stringField(entered, 'from')).toBe(b.data.from);
    expect(stringField(entered, 'room_id')).toBe(b.room_id);
    expect(stringField(entered, 'to')).toBeNull();
  });
});
