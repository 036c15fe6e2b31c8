// Movement is one synchronous step: presence, the store and then the events, in that order.
import { afterEach, describe, expect, it } from 'vitest';
import { Game } from '../../../server/core/game.js';
import { silentLogger } from '../../../server/logger.js';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import { makeGame, RecordingConnection, type TestGame } from '../helpers.js';

let tg: TestGame | undefined;
afterEach(() => {
  tg?.cleanup();
  tg = undefined;
});

describe('movement', () => {
  it('has moved and saved the player before anyone hears of it', () => {
    tg = makeGame();
    const { game, store, world } = tg;
    const p = tg.join('armitage');
    const north = world.start.exits.north!;
    const seen: string[] = [];
    const snapshot = (event: string) => {
      const where = game.presence.get(p.account.id)!.roomId;
      seen.push(
        `${event}: at ${where}, saved ${store.getCharacter(p.account.id)!.roomId}, ` +
          `in old set ${game.presence.idsIn(world.start.id).has(p.account.id)}, ` +
          `in new set ${game.presence.idsIn(north).has(p.account.id)}, problems ${game.presence.inconsistencies().length}`,
      );
    };
    game.bus.subscribe('PlayerLeftRoom', (e) => {
      expect(e).toEqual({ playerId: p.account.id, name: 'Armitage', roomId: world.start.id, to: 'north' });
      snapshot('left');
    });
    game.bus.subscribe('PlayerEnteredRoom', (e) => {
      expect(e).toEqual({ playerId: p.account.id, name: 'Armitage', roomId: north, from: 'south' });
      snapshot('entered');
    });
    p.type('n');
    expect(seen).toEqual([
      `left: at ${north}, saved ${north}, in old set false, in new set true, problems 0`,
      `entered: at ${north}, saved ${north}, in old set false, in new set true, problems 0`,
    ]);
  });

  it('publishes nothing and saves nothing for a way that does not exist', () => {
    tg = makeGame();
    const { game, store, world } = tg;
    const p = tg.join('armitage');
    const missing = (['up', 'down', 'northeast', 'northwest', 'southeast', 'southwest'] as const).find((d) => !world.start.exits[d])!;
    let events = 0;
    game.bus.subscribe('PlayerLeftRoom', () => events++);
    game.bus.subscribe('PlayerEnteredRoom', () => events++);
    p.type(missing);
    expect(events).toBe(0);
    expect(p.room()).toBe(world.start.id);
    expect(store.getCharacter(p.account.id)?.roomId).toBe(world.start.id);
    expect(p.conn.outputs()).toEqual([`You cannot go ${missing} from here.`]);
  });

  it('finds the character where it was in a new game on the same file, as after a kill -9', () => {
    tg = makeGame();
    const p = tg.join('armitage');
    p.type('north');
    p.type('east');
    const room = p.room();
    expect(room).not.toBe(tg.world.start.id);
    // A second process's view: its own store on the same file, its own Game. The first game is
    // never shut down (nothing saved on the way out), so only the per-move saves can explain it.
    const store2 = openSqliteStore(tg.dbFile);
    const game2 = new Game({ world: tg.world, store: store2, log: silentLogger(), occupantsIntervalMs: 0 });
    try {
      const conn = new RecordingConnection();
      game2.enter(store2.findAccount('armitage')!, conn);
      expect(conn.ofType('game_state')[0]?.data.room.id).toBe(room);
    } finally {
      game2.shutdown();
      store2.close();
    }
  });
});
