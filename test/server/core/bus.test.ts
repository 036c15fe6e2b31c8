import { describe, expect, it } from 'vitest';
import { InProcessBus } from '../../../server/core/bus.js';
import type { GameEvents } from '../../../server/core/events.js';
import { silentLogger } from '../../../server/logger.js';
import { recordingLogger } from '../helpers.js';

const entered: GameEvents['PlayerEnteredGame'] = { playerId: 'p_1', name: 'Armitage', roomId: 'r1' };

describe('InProcessBus', () => {
  it('delivers an event to every subscriber of its name, in subscription order, and to no other', () => {
    const bus = new InProcessBus(silentLogger());
    const got: string[] = [];
    bus.subscribe('PlayerEnteredGame', (e) => got.push(`a ${e.name}`));
    bus.subscribe('PlayerEnteredGame', (e) => got.push(`b ${e.roomId}`));
    bus.subscribe('PlayerLeftGame', () => got.push('wrong'));
    bus.publish('PlayerEnteredGame', entered);
    expect(got).toEqual(['a Armitage', 'b r1']);
  });

  it('logs a subscriber that throws and still runs the others; the publisher never sees it', () => {
    const { log, lines } = recordingLogger();
    const bus = new InProcessBus(log);
    const got: string[] = [];
    bus.subscribe('PlayerEnteredGame', () => got.push('first'));
    bus.subscribe('PlayerEnteredGame', () => {
      throw new Error('cursed subscriber');
    });
    bus.subscribe('PlayerEnteredGame', () => got.push('third'));
    expect(() => bus.publish('PlayerEnteredGame', entered)).not.toThrow();
    expect(got).toEqual(['first', 'third']);
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ event: 'PlayerEnteredGame', msg: 'event subscriber threw' });
    expect(JSON.stringify(errors[0])).toContain('cursed subscriber');
  });

  it('unsubscribes only the one handler, and subscriberCount follows', () => {
    const bus = new InProcessBus(silentLogger());
    const got: string[] = [];
    expect(bus.subscriberCount()).toBe(0);
    const offA = bus.subscribe('PlayerEnteredGame', () => got.push('a'));
    bus.subscribe('PlayerEnteredGame', () => got.push('b'));
    const offC = bus.subscribe('PlayerLeftGame', () => got.push('c'));
    expect(bus.subscriberCount()).toBe(3);
    offA();
    offA(); // twice is harmless
    expect(bus.subscriberCount()).toBe(2);
    bus.publish('PlayerEnteredGame', entered);
    expect(got).toEqual(['b']);
    offC();
    expect(bus.subscriberCount()).toBe(1);
  });

  it('keeps the same function subscribed twice as two subscriptions', () => {
    const bus = new InProcessBus(silentLogger());
    let n = 0;
    const h = () => n++;
    const off1 = bus.subscribe('PlayerEnteredGame', h);
    bus.subscribe('PlayerEnteredGame', h);
    bus.publish('PlayerEnteredGame', entered);
    expect(n).toBe(2);
    off1();
    off1(); // a second call must not remove the other subscription
    expect(bus.subscriberCount()).toBe(1);
    bus.publish('PlayerEnteredGame', entered);
    expect(n).toBe(3);
  });

  it('is safe to subscribe and unsubscribe during a publish (no skips, no repeats)', () => {
    const bus = new InProcessBus(silentLogger());
    const got: string[] = [];
    let offB: () => void = () => {};
    bus.subscribe('PlayerEnteredGame', () => {
      got.push('a');
      offB();
      bus.subscribe('PlayerEnteredGame', () => got.push('late'));
    });
    offB = bus.subscribe('PlayerEnteredGame', () => got.push('b'));
    bus.publish('PlayerEnteredGame', entered);
    expect(got).toEqual(['a', 'b']); // this publish ran on the list as it was
    got.length = 0;
    bus.publish('PlayerEnteredGame', entered);
    expect(got).toEqual(['a', 'late']);
  });

  it('counts what was published, per name, subscribers or not', () => {
    const bus = new InProcessBus(silentLogger());
    bus.publish('PlayerEnteredGame', entered);
    bus.publish('PlayerEnteredGame', entered);
    bus.publish('PlayerLeftGame', { ...entered, reason: 'quit' });
    expect(bus.publishedCounts().get('PlayerEnteredGame')).toBe(2);
    expect(bus.publishedCounts().get('PlayerLeftGame')).toBe(1);
  });
});
