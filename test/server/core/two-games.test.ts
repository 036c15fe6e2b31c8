// Two games in one process share nothing: each has its own replay log, its own hashing children
// and its own shutdown countdown (no module-level state; docs/DESIGN.md).
import { afterEach, describe, expect, it } from 'vitest';
import { requestShutdown, shutdownIn } from '../../../server/core/moderation.js';
import { makeGame, type TestGame } from '../helpers.js';

const games: TestGame[] = [];
afterEach(() => {
  for (const g of games.splice(0)) g.cleanup();
});

describe('two games side by side', () => {
  it('have their own replay logs, hashing pools and shutdown countdowns', async () => {
    const a = makeGame();
    const b = makeGame();
    games.push(a, b);
    expect(a.game.replayLog).not.toBe(b.game.replayLog);
    expect(a.game.accounts.passwords).not.toBe(b.game.accounts.passwords);

    // A WebSocket player in one fills that game's log only.
    a.join('armitage', { door: 'ws' }).type('say hello');
    expect(a.game.replayLog.writtenBytes).toBeGreaterThan(0);
    expect(b.game.replayLog.writtenBytes).toBe(0);

    // A countdown in one leaves the other open.
    requestShutdown(a.game, 600, 'test');
    expect(shutdownIn(a.game)).toBe(600);
    expect(shutdownIn(b.game)).toBeNull();
    expect(b.game.closing).toBe(false);
    clearTimeout(a.game.shutdownState.timer!);

    // The closing one refuses new accounts; the other still takes them (through its own hashing pool).
    const [ra, rb] = await Promise.all([a.game.accounts.register('wilmarth', 'secret-pass'), b.game.accounts.register('wilmarth', 'secret-pass')]);
    expect(rb.ok).toBe(true);
    expect(ra).toMatchObject({ ok: false, code: 'closing' });
  });
});
