import { afterEach, describe, expect, it } from 'vitest';
import { parseLine } from '../../../server/core/commands/index.js';
import { parseDirection, SHORT_DIRECTIONS } from '../../../server/core/commands/movement.js';
import { OPPOSITE } from '../../../server/core/text.js';
import { buildWorld, type World } from '../../../server/world/load.js';
import { DIRECTIONS, type Direction } from '../../../server/world/schema.js';
import { makeGame, type TestGame } from '../helpers.js';

/** A hub with an exit in each of the ten directions, each leading straight back. */
function compassWorld(): World {
  const rooms = [
    {
      id: 'hub',
      num: 1,
      area: 'test',
      name: 'The Crossing',
      description: 'Ways lead off in every direction.',
      exits: Object.fromEntries(DIRECTIONS.map((d) => [d, `room_${d}`])),
    },
    ...DIRECTIONS.map((d, i) => ({
      id: `room_${d}`,
      num: i + 2,
      area: 'test',
      name: `The ${d} room`,
      description: `A room to the ${d}.`,
      exits: { [OPPOSITE[d]]: 'hub' },
    })),
  ];
  return buildWorld({ name: 'Compass', start: 'hub', areas: [{ id: 'test', name: 'Test Area' }], rooms }, 'compass test world');
}

let tg: TestGame | undefined;
afterEach(() => {
  tg?.cleanup();
  tg = undefined;
});

describe('parseLine', () => {
  it.each([
    ['say hi', 'say', 'hi'],
    ['  say   hello there  ', 'say', 'hello there'],
    ['SAY Hi', 'say', 'Hi'], // the verb is case-insensitive, the text keeps its case
    ["'hi", "'", 'hi'],
    ["' hi there", "'", 'hi there'],
    ['"hi', "'", 'hi'], // a double quote is say too
    [':waves', ':', 'waves'],
    [': waves slowly', ':', 'waves slowly'],
    ['LOOK', 'look', ''],
    ['n', 'n', ''],
    ['go  North', 'go', 'North'],
    ['help say', 'help', 'say'],
    ['say a\tb', 'say', 'a\tb'],
    ['', '', ''],
    ['    ', '', ''],
  ])('%j -> verb %j, args %j', (line, verb, args) => {
    expect(parseLine(line)).toEqual({ verb, args });
  });

  it('reads every direction and its short form, in any case', () => {
    for (const d of DIRECTIONS) {
      expect(parseDirection(d)).toBe(d);
      expect(parseDirection(d.toUpperCase())).toBe(d);
    }
    expect(Object.keys(SHORT_DIRECTIONS).sort()).toEqual(['d', 'e', 'n', 'ne', 'nw', 's', 'se', 'sw', 'u', 'w']);
    for (const [short, d] of Object.entries(SHORT_DIRECTIONS)) expect(parseDirection(short)).toBe(d);
    expect(parseDirection('sideways')).toBeUndefined();
  });
});

describe('dispatch: every command', () => {
  it('look and l show the room (game_state with the room text)', () => {
    tg = makeGame();
    const a = tg.join('armitage');
    tg.join('wilmarth');
    for (const cmd of ['look', 'l', 'LOOK', '  l  ']) {
      a.conn.clear();
      a.type(cmd);
      const [state] = a.conn.ofType('game_state');
      expect(state, cmd).toBeDefined();
      expect(state!.data.room.id).toBe(tg.world.start.id);
      expect(state!.data.message).toContain(tg.world.start.name);
      expect(state!.data.message).toMatch(/^Exits: /m);
      expect(state!.data.message).toMatch(/^Also here: Wilmarth\.$/m);
    }
  });

  it('walks every direction by name, short form and go DIR, and back', () => {
    tg = makeGame({ world: compassWorld() });
    const p = tg.join('armitage');
    const short = (d: Direction) => Object.entries(SHORT_DIRECTIONS).find(([, v]) => v === d)![0];
    for (const d of DIRECTIONS) {
      for (const [there, back] of [
        [d, OPPOSITE[d]],
        [short(d), short(OPPOSITE[d])],
        [`go ${d}`, `go ${OPPOSITE[d]}`],
        [`go ${short(d)}`, `go ${short(OPPOSITE[d])}`],
        [d.toUpperCase(), `GO ${OPPOSITE[d].toUpperCase()}`],
      ] as const) {
        p.conn.clear();
        p.type(there);
        expect(p.room(), there).toBe(`room_${d}`);
        const update = p.conn.ofType('room_update').at(-1);
        expect(update?.data.room.id, there).toBe(`room_${d}`);
        p.type(back);
        expect(p.room(), back).toBe('hub');
      }
    }
    expect(p.conn.problems).toEqual([]);
  });

  it('refuses a direction without an exit, and go without a direction', () => {
    tg = makeGame({ world: compassWorld() });
    const p = tg.join('armitage');
    p.type('north');
    p.conn.clear();
    p.type('north'); // room_north has only a south exit
    p.type('go');
    p.type('go sideways');
    expect(p.room()).toBe('room_north');
    const out = p.conn.outputs();
    expect(out[0]).toBe('You cannot go north from here.');
    expect(out[1]).toBe('Go where?');
    expect(out[2]).toMatch(/"sideways" is not a direction/);
  });

  it('exits lists the ways out and where they lead', () => {
    tg = makeGame();
    const p = tg.join('armitage');
    p.type('exits');
    p.type('ex');
    const [a, b] = p.conn.outputs();
    expect(a).toBe(b);
    const start = tg.game.roomView(tg.world.start.id);
    expect(a).toMatch(/^Exits: /);
    for (const [dir, id] of Object.entries(start.exits)) {
      expect(a).toContain(dir);
      expect(a).toContain(tg.game.roomView(id).name);
    }
  });

  it("say, ' and \" speak to the room", () => {
    tg = makeGame();
    const a = tg.join('armitage');
    const b = tg.join('wilmarth');
    a.type('say The stars are right.');
    a.type("'Hello");
    a.type('"again');
    expect(a.conn.ofType('message').map((m) => m.data.message)).toEqual([
      'You say, "The stars are right."',
      'You say, "Hello"',
      'You say, "again"',
    ]);
    expect(b.conn.ofType('message').map((m) => m.data.message)).toEqual([
      'Armitage says, "The stars are right."',
      'Armitage says, "Hello"',
      'Armitage says, "again"',
    ]);
    a.type('say');
    a.type("'");
    expect(a.conn.outputs()).toEqual(['Say what?', 'Say what?']);
  });

  it('emote, : and me act for the whole room, the actor included', () => {
    tg = makeGame();
    const a = tg.join('armitage');
    const b = tg.join('wilmarth');
    a.type('emote shivers.');
    a.type(':waves');
    a.type('me nods');
    const want = ['Armitage shivers.', 'Armitage waves', 'Armitage nods'];
    expect(a.conn.ofType('message').map((m) => m.data.message)).toEqual(want);
    expect(b.conn.ofType('message').map((m) => m.data.message)).toEqual(want);
    expect(b.conn.ofType('message').every((m) => m.data.channel === 'emote')).toBe(true);
    a.type(':');
    expect(a.conn.outputs()).toEqual(['Emote what?']);
  });

  it('who lists everyone in the game, wherever they are', () => {
    tg = makeGame();
    const a = tg.join('armitage');
    tg.join('wilmarth', { roomId: [...tg.world.rooms.keys()].at(-1)! });
    a.type('who');
    const [out] = a.conn.outputs();
    expect(out).toMatch(/^2 investigators are abroad in Arkham:/);
    expect(out).toMatch(/^ {2}Armitage\s+idle \d+s$/m);
    expect(out).toMatch(/^ {2}Wilmarth\s+idle \d+s$/m);
  });

  it('help lists the commands; help COMMAND explains one; help of nothing says so', () => {
    tg = makeGame();
    const p = tg.join('armitage');
    p.type('help');
    const [list] = p.conn.outputs();
    for (const word of ['look', 'exits', 'go DIRECTION', 'say TEXT', 'emote TEXT', 'who', 'help [COMMAND]', 'quit', 'n s e w ne nw se sw u d']) {
      expect(list).toContain(word);
    }
    p.conn.clear();
    p.type('help say');
    p.type('HELP n');
    p.type('help xyzzy');
    const [say, n, none] = p.conn.outputs();
    expect(say).toMatch(/^say TEXT\n/);
    expect(say).toContain("'");
    expect(n).toMatch(/^north\n/);
    expect(none).toBe('There is no command "xyzzy". Type "help" for the list.');
  });

  it('quit saves the character, closes the connection with a goodbye, and the room sees it', () => {
    tg = makeGame({ world: compassWorld() });
    const a = tg.join('armitage');
    a.type('north');
    const b = tg.join('wilmarth', { roomId: 'room_north' });
    a.type('quit');
    expect(a.conn.closed).toBe(true);
    expect(a.conn.closeNotice).toMatch(/goodbye/i);
    expect(tg.game.presence.get(a.account.id)).toBeUndefined();
    expect(tg.game.session(a.account.id)).toBeUndefined();
    expect(tg.store.getCharacter(a.account.id)?.roomId).toBe('room_north');
    expect(b.conn.ofType('player_left_game').map((e) => e.data.message)).toEqual(['Armitage has left the game.']);
    expect(tg.game.presence.inconsistencies()).toEqual([]);
  });

  it('answers an unknown command with a hint, never silence', () => {
    tg = makeGame();
    const p = tg.join('armitage');
    for (const line of ['xyzzy', 'cthulhu fhtagn', '!!!', 'NORTHWARD']) {
      p.conn.clear();
      p.type(line);
      const out = p.conn.outputs();
      expect(out, line).toHaveLength(1);
      expect(out[0]).toMatch(/not a command/);
      expect(out[0]).toContain('help');
    }
  });

  it('gives an empty line no answer (the door sends a fresh prompt)', () => {
    tg = makeGame();
    const p = tg.join('armitage');
    p.conn.clear();
    p.type('');
    p.type('   ');
    expect(p.conn.received).toEqual([]);
  });
});
