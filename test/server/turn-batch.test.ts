import { describe, expect, it } from 'vitest';
import { turnBatch } from '../../server/turn-batch.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('turnBatch', () => {
  it('runs each queued item once at the end of the turn, in order, and not before', async () => {
    const ran: string[] = [];
    const queue = turnBatch<string>((s) => ran.push(s), () => {});
    queue('a');
    queue('b');
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual(['a', 'b']);
  });

  it('hands a failing item to onError and still runs the rest', async () => {
    const ran: string[] = [];
    const failed: string[] = [];
    const queue = turnBatch<string>(
      (s) => {
        if (s === 'bad') throw new Error('boom');
        ran.push(s);
      },
      (s) => failed.push(s),
    );
    queue('bad');
    queue('good');
    await nextTurn();
    expect(failed).toEqual(['bad']);
    expect(ran).toEqual(['good']);
  });

  it('leaves what a run queues for the next turn', async () => {
    const ran: number[] = [];
    const queue: (n: number) => void = turnBatch<number>(
      (n) => {
        ran.push(n);
        if (n < 3) queue(n + 1);
      },
      () => {},
    );
    queue(1);
    await nextTurn();
    expect(ran).toEqual([1]);
    await nextTurn();
    await nextTurn();
    expect(ran).toEqual([1, 2, 3]);
  });
});
