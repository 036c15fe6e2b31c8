// Presence: the occupants of a room are always exactly the players whose position is that room.
import { afterEach, describe, expect, it } from 'vitest';
import { SHORT_DIRECTIONS } from '../../../server/core/commands/movement.js';
import { LocalPresence, type PresentPlayer } from '../../../server/core/presence.js';
import { DIRECTIONS, type Direction } from '../../../server/world/schema.js';
import { makeGame, prng, RecordingConnection, type TestGame } from '../helpers.js';

const player = (id: string, roomId: string): PresentPlayer => ({
  id,
  name: id,
  role: 'player',
  roomId,
  status: 'online',
  door: 'telnet',
  remoteAddress: null,
  lastActive: 0,
  loggedInAt: 0,
});

describe('Presence', () => {
  it('keeps positions and room sets together through add, move and remove', () => {
    const p = new LocalPresence();
    p.add(player('a', 'r1'));
    p.add(player('b', 'r1'));
    expect([...p.idsIn('r1')]).toEqual(['a', 'b']);
    expect(p.move('a', 'r2')).toBe('r1');
    expect([...p.idsIn('r1')]).toEqual(['b']);
    expect([...p.idsIn('r2')]).toEqual(['a']);
    expect(p.get('a')!.roomId).toBe('r2');
    expect(p.move('a', 'r2')).toBe('r2'); // staying put changes nothing
    expect(p.remove('b')?.id).toBe('b');
    expect(p.idsIn('r1').size).toBe(0);
    expect(p.size).toBe(1);
    expect(p.inconsistencies()).toEqual([]);
  });

  it('refuses a second body and a move of someone absent', () => {
    const p = new LocalPresence();
    p.add(player('a', 'r1'));
    expect(() => p.add(player('a', 'r2'))).toThrow(/already present/);
    expect(() => p.move('ghost', 'r1')).toThrow(/not present/);
    expect(p.remove('ghost')).toBeUndefined();
    expect(p.inconsistencies()).toEqual([]);
    expect([...p.idsIn('r2')]).toEqual([]);
  });

  it('finds by name in any case, and lists occupants with their status', () => {
    const p = new LocalPresence();
    p.add({ ...player('a', 'r1'), name: 'Armitage', status: 'away' });
    expect(p.findByName('ARMITAGE')?.id).toBe('a');
    expect(p.findByName('nobody')).toBeUndefined();
    expect(p.occupants('r1')).toEqual([{ id: 'a', name: 'Armitage', status: 'away' }]);
  });

  it('changes only the fields update is given, keeps its own copy, and ignores an absent player', () => {
    const p = new LocalPresence();
    const mine = player('a', 'r1');
    p.add(mine);
    expect(p.update('a', { status: 'away', lastActive: 5 })).toMatchObject({ id: 'a', roomId: 'r1', status: 'away', lastActive: 5, role: 'player' });
    expect(p.get('a')!.status).toBe('away');
    expect(mine.status).toBe('online'); // the caller's object was copied, not kept
    expect(p.update('nobody', { status: 'away' })).toBeUndefined();
    expect(p.occupants('r1')).toEqual([{ id: 'a', name: 'a', status: 'away' }]);
  });

  it('reports a position that disagrees with the room sets (the check itself can fail)', () => {
    const p = new LocalPresence();
    p.add(player('a', 'r1'));
    (p.get('a') as { roomId: string }).roomId = 'r9'; // bypassing move(): exactly what the invariant forbids
    expect(p.inconsistencies()).toEqual(['room r1 lists a, who is in r9']);
  });
});

describe('presence under 100 players moving at random for 10,000 steps (real Game, typed commands)', () => {
  let tg: TestGame | undefined;
  afterEach(() => {
    tg?.cleanup();
    tg = undefined;
  });

  it('never shows a player in two rooms or none, and occupants always equal positions', () => {
    const seed = Number(process.env.PRESENCE_SEED ?? 1926);
    const rand = prng(seed);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    tg = makeGame();
    const { game, world, store } = tg;
    const roomIds = [...world.rooms.keys()];
    const shortOf = Object.fromEntries(Object.entries(SHORT_DIRECTIONS).map(([s, d]) => [d, s])) as Record<Direction, string>;

    interface Walker {
      id: string;
      name: string;
      conn: RecordingConnection;
      /** Where the test, from the world map alone, expects the player to be. */
      expected: string;
    }
    const walkers: Walker[] = [];
    const connections: RecordingConnection[] = [];
    const enter = (w: Walker) => {
      w.conn = new RecordingConnection('telnet', { validate: false });
      connections.push(w.conn);
      game.enter(store.findAccount(w.name)!, w.conn);
    };
    for (let i = 0; i < 100; i++) {
      const name = `walker${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`;
      const roomId = pick(roomIds);
      const account = store.createAccount({ name, passwordHash: 'x', role: 'player', roomId });
      const w: Walker = { id: account.id, name, conn: undefined as never, expected: roomId };
      enter(w);
      walkers.push(w);
    }

    let moves = 0;
    let blocked = 0;
    const check = (step: number, line: string) => {
      const where = `seed ${seed}, step ${step} (${line})`;
      const problems = game.presence.inconsistencies();
      if (problems.length) expect(problems, where).toEqual([]);
      expect(game.presence.size, where).toBe(walkers.length);
      // Every player is in exactly one room's set: the one their position names.
      let places = 0;
      for (const r of roomIds) places += game.presence.idsIn(r).size;
      expect(places, where).toBe(walkers.length);
      for (const w of walkers) {
        const p = game.presence.get(w.id);
        if (!p || p.roomId !== w.expected || !game.presence.idsIn(p.roomId).has(w.id)) {
          expect({ id: w.id, room: p?.roomId, inSet: p && game.presence.idsIn(p.roomId).has(w.id) }, where).toEqual({
            id: w.id,
            room: w.expected,
            inSet: true,
          });
        }
      }
    };

    for (let step = 0; step < 10_000; step++) {
      const w = pick(walkers);
      const session = game.session(w.id)!;
      const r = rand();
      let line: string;
      if (r < 0.85) {
        // Mostly a way that exists (to walk far), sometimes any direction (to bump into walls).
        const ways = Object.keys(world.rooms.get(w.expected)!.exits) as Direction[];
        const dir = rand() < 0.75 && ways.length ? pick(ways) : pick(DIRECTIONS);
        const form = rand();
        line = form < 0.3 ? dir : form < 0.6 ? shortOf[dir] : form < 0.8 ? `go ${dir}` : `GO ${shortOf[dir].toUpperCase()}`;
        game.input(session, line);
        const target = world.rooms.get(w.expected)!.exits[dir];
        if (target) {
          w.expected = target;
          moves++;
        } else blocked++;
      } else if (r < 0.93) {
        line = pick(['look', 'l', 'say the stars are right', ':shudders', 'who', 'exits', 'xyzzy', '']);
        game.input(session, line);
      } else if (r < 0.97) {
        line = 'quit (and log in again)';
        game.input(session, 'quit');
        expect(game.presence.get(w.id)).toBeUndefined();
        enter(w); // comes back where the quit saved them
      } else {
        line = 'link lost (and taken over)';
        game.connectionLost(session, w.conn);
        enter(w);
      }
      check(step, line);
    }

    // The walk really walked, and every move was saved where the walker stood.
    expect(moves).toBeGreaterThan(5000);
    expect(blocked).toBeGreaterThan(500);
    for (const w of walkers) expect(store.getCharacter(w.id)?.roomId).toBe(w.expected);
    for (const c of connections) expect(c.problems).toEqual([]);
  }, 120_000); // a few seconds here; generous for a slow, shared machine
});
