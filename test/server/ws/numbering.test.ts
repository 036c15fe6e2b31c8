import { describe, expect, it } from 'vitest';
import { PlayerSession } from '../../../server/core/session.js';
import { WireOffsets } from '../../../server/ws/numbering.js';

describe('WireOffsets', () => {
  const session = new PlayerSession('p_1', 'Armitage');
  const connA = {};
  const connB = {};

  it('remembers a session offset by token, 0 for unknown tokens', () => {
    const offsets = new WireOffsets();
    offsets.bind(session, 3, connA);
    expect(offsets.offsetOf(session.token)).toBe(3);
    expect(offsets.offsetOf('other')).toBe(0);
  });

  it('is released only by the connection that set it', () => {
    const offsets = new WireOffsets();
    offsets.bind(session, 3, connA);
    offsets.bind(session, 3, connB); // resumed on B
    offsets.release(session, connA); // A, closed late, must not drop B's numbering
    expect(offsets.offsetOf(session.token)).toBe(3);
    offsets.release(session, connB);
    expect(offsets.offsetOf(session.token)).toBe(0);
    expect(offsets.size).toBe(0);
  });

  it('forgets a player who left the game, and keeps one entry per player', () => {
    const offsets = new WireOffsets();
    offsets.bind(session, 2, connA);
    const next = new PlayerSession('p_1', 'Armitage'); // logged in again later: a new token
    offsets.bind(next, 5, connB);
    expect(offsets.size).toBe(1);
    expect(offsets.offsetOf(session.token)).toBe(0);
    offsets.forget('p_1');
    expect(offsets.offsetOf(next.token)).toBe(0);
    expect(offsets.size).toBe(0);
  });
});
