import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_INPUT_LIMITS, InputQueue, type InputLimits } from '../../../server/core/input-queue.js';

// Fake timers fake Date.now too, which is the queue's clock: time moves only when a test says so.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function queue(limits: Partial<InputLimits> = {}) {
  const ran: string[] = [];
  const events = { overflowed: 0, flooded: 0 };
  const q = new InputQueue<string>(
    {
      run: (line) => ran.push(line),
      overflowed: () => events.overflowed++,
      flooded: () => events.flooded++,
    },
    { ...DEFAULT_INPUT_LIMITS, ...limits },
  );
  const push = (...lines: string[]) => lines.forEach((l) => q.push(l, l.length));
  return { q, ran, events, push };
}

const walk = (n: number) => Array.from({ length: n }, (_, i) => `step${i}`);

describe('InputQueue', () => {
  it('runs the burst at once and the rest at the steady pace, in order, losing nothing', () => {
    const { ran, events, push } = queue(); // burst 60, then 20 a second
    push(...walk(150));
    expect(ran).toEqual(walk(60));
    vi.advanceTimersByTime(1000);
    expect(ran).toHaveLength(80);
    vi.advanceTimersByTime(3500);
    expect(ran).toEqual(walk(150));
    expect(events).toEqual({ overflowed: 0, flooded: 0 });
  });

  it('drops what does not fit, telling the player once per spell of overflow', () => {
    const { q, ran, events, push } = queue();
    push(...walk(300)); // 60 run, 200 wait, 40 dropped
    expect(ran).toHaveLength(60);
    expect(q.length).toBe(200);
    expect(events.overflowed).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(ran).toEqual(walk(260));
    expect(events.overflowed).toBe(1);
    // Drained: a new overflow is a new spell, with a notice of its own.
    vi.advanceTimersByTime(60_000); // the bucket refills
    push(...walk(300));
    expect(events.overflowed).toBe(2);
  });

  it('bounds the bytes waiting as well as the lines', () => {
    const { q, events } = queue({ burst: 1, maxBytes: 1000 });
    q.push('first', 5);
    for (let i = 0; i < 20; i++) q.push(`big${i}`, 100);
    expect(q.length).toBe(10);
    expect(events.overflowed).toBe(1);
  });

  it('cuts off a connection that keeps the queue overflowing for the flood time, not one that pastes once', () => {
    const { events, push } = queue({ floodMs: 30_000 });
    push(...walk(300)); // one paste: overflows once, then drains in 10 s
    vi.advanceTimersByTime(40_000);
    push('more');
    expect(events.flooded).toBe(0);
    // Now a client that keeps sending 40 lines a second, twice the pace: the burst is spent in
    // 3 s, the queue full some 10 s later, and 30 s into its overflow the connection must go.
    let seconds = 0;
    for (; seconds < 90 && events.flooded === 0; seconds++) {
      push(...walk(40));
      vi.advanceTimersByTime(1000);
    }
    expect(events.flooded).toBe(1);
    expect(seconds).toBeGreaterThan(40);
    expect(seconds).toBeLessThan(50);
  });

  it('holds lines while held, and runs them, in order, on a later turn once released', () => {
    const { q, ran, push } = queue();
    q.hold();
    push('look', 'say hi');
    vi.advanceTimersByTime(1000);
    expect(ran).toEqual([]);
    q.release();
    expect(ran).toEqual([]); // not inside the caller's own work
    vi.advanceTimersByTime(0);
    expect(ran).toEqual(['look', 'say hi']);
    push('north');
    expect(ran).toEqual(['look', 'say hi', 'north']);
  });

  it('runs nothing more once closed', () => {
    const { q, ran, push } = queue({ burst: 1 });
    push('a', 'b', 'c');
    q.close();
    vi.advanceTimersByTime(5000);
    push('d');
    expect(ran).toEqual(['a']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps no timer while nothing waits', () => {
    const { push } = queue();
    push('look');
    expect(vi.getTimerCount()).toBe(0);
  });
});
