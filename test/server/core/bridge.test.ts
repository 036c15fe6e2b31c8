// The real-time bridge: events -> one envelope per recipient, through the real Game.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Envelope } from '../../../shared/protocol.js';
import { Outbound } from '../../../server/core/outbound.js';
import { makeGame, RecordingConnection, type TestGame, type TestPlayer } from '../helpers.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let tg: TestGame | undefined;
afterEach(() => {
  vi.useRealTimers();
  tg?.cleanup();
  tg = undefined;
});

/** Start (S), the room north of it (N), and a room far from both (F). */
function rooms(t: TestGame) {
  const S = t.world.start;
  const N = S.exits.north!;
  const F = [...t.world.rooms.values()].find((r) => r.id !== S.id && r.id !== N && !Object.values(r.exits).includes(S.id) && !Object.values(r.exits).includes(N))!.id;
  return { S: S.id, N, F };
}

const types = (p: TestPlayer) => p.conn.received.map((e) => e.event_type);

describe('the bridge', () => {
  it('fans a move out: player_left to the old room, player_entered to the new, room_update to the mover', () => {
    tg = makeGame();
    const { S, N, F } = rooms(tg);
    const mover = tg.join('armitage');
    const stayer = tg.join('wilmarth');
    const waiter = tg.join('marsh', { roomId: N });
    const far = tg.join('keziah', { roomId: F });
    for (const p of [mover, stayer, waiter, far]) p.conn.clear();

    mover.type('north');

    expect(types(stayer)).toEqual(['player_left', 'room_occupants']);
    const [left] = stayer.conn.ofType('player_left');
    expect(left).toMatchObject({ room_id: S, player_id: mover.account.id });
    expect(left!.data).toEqual({ player_id: mover.account.id, player_name: 'Armitage', to: 'north', message: 'Armitage leaves north.' });
    const [oldRoom] = stayer.conn.ofType('room_occupants');
    expect(oldRoom!.data).toMatchObject({ room_id: S, count: 1 });
    expect(oldRoom!.data.occupants.map((o) => o.name)).toEqual(['Wilmarth']);

    expect(types(waiter)).toEqual(['player_entered', 'room_occupants']);
    const [entered] = waiter.conn.ofType('player_entered');
    expect(entered).toMatchObject({ room_id: N, player_id: mover.account.id });
    expect(entered!.data).toEqual({
      player_id: mover.account.id,
      player_name: 'Armitage',
      from: 'south',
      message: 'Armitage arrives from the south.',
    });
    const [newRoom] = waiter.conn.ofType('room_occupants');
    expect(newRoom!.data.occupants.map((o) => o.name).sort()).toEqual(['Armitage', 'Marsh']);
    expect(newRoom!.data.count).toBe(2);

    // The mover: its own room view (and the new room's list), never its own arrival or departure.
    expect(types(mover).sort()).toEqual(['room_occupants', 'room_update']);
    const [update] = mover.conn.ofType('room_update');
    expect(update!.room_id).toBe(N);
    expect(update!.data.room.id).toBe(N);
    expect(update!.data.room.exits.south).toBe(S);
    expect(update!.data.occupants.map((o) => o.name).sort()).toEqual(['Armitage', 'Marsh']);
    expect(update!.data.message.split('\n')[0]).toBe(tg.game.roomView(N).name);
    expect(update!.data.message).toMatch(/^Exits: .*south/m);
    expect(update!.data.message).toMatch(/^Also here: Marsh\.$/m);

    expect(far.conn.received).toEqual([]);
    for (const p of [mover, stayer, waiter, far]) expect(p.conn.problems).toEqual([]);
  });

  it('say: "You say" to the speaker, "X says" to the room, nothing to other rooms', () => {
    tg = makeGame();
    const { N } = rooms(tg);
    const a = tg.join('armitage');
    const b = tg.join('wilmarth');
    const c = tg.join('marsh', { roomId: N });
    for (const p of [a, b, c]) p.conn.clear();
    a.type('say The door must stay shut.');
    expect(a.conn.received.map((e) => e.data)).toEqual([
      {
        channel: 'say',
        from: { id: a.account.id, name: 'Armitage' },
        text: 'The door must stay shut.',
        message: 'You say, "The door must stay shut."',
      },
    ]);
    expect(b.conn.received.map((e) => e.data)).toEqual([
      {
        channel: 'say',
        from: { id: a.account.id, name: 'Armitage' },
        text: 'The door must stay shut.',
        message: 'Armitage says, "The door must stay shut."',
      },
    ]);
    expect(b.conn.received[0]).toMatchObject({ event_type: 'message', player_id: a.account.id, room_id: tg.world.start.id });
    expect(c.conn.received).toEqual([]);
  });

  it('tells the room when someone enters or leaves the game, and only the room', () => {
    tg = makeGame();
    const { N } = rooms(tg);
    const a = tg.join('armitage');
    const far = tg.join('marsh', { roomId: N });
    const b = tg.join('wilmarth');
    expect(a.conn.ofType('player_entered_game').map((e) => e.data.message)).toEqual(['Wilmarth has entered the game.']);
    expect(far.conn.ofType('player_entered_game')).toEqual([]);
    expect(types(b).slice(0, 2)).toEqual(['auth_ok', 'game_state']);
    expect(b.conn.ofType('game_state')[0]!.data.message).toMatch(/^Also here: Armitage\.$/m);
    b.type('quit');
    expect(a.conn.ofType('player_left_game').map((e) => e.data.message)).toEqual(['Wilmarth has left the game.']);
    expect(far.conn.ofType('player_left_game')).toEqual([]);
  });

  it('numbers every connection from 1, +1 per envelope, across a busy session', () => {
    tg = makeGame();
    const { N } = rooms(tg);
    const players = ['armitage', 'wilmarth', 'marsh', 'keziah'].map((n) => tg!.join(n));
    const script = ['north', 'say hi', 'south', ':waves', 'look', 'who', 'xyzzy', 'exits', 'help', 'go north', "'there"];
    for (const line of script) for (const p of players) p.type(line);
    for (const p of players) {
      expect(p.conn.problems).toEqual([]);
      const seqs = p.conn.received.map((e) => e.sequence_number);
      expect(seqs[0]).toBe(1);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect(p.session.lastSequence).toBe(seqs.length);
      expect(p.room()).toBe(N);
    }
  });

  it('sends envelopes that parse as the Envelope schema, with exactly six fields and an ISO UTC timestamp', () => {
    tg = makeGame();
    const a = tg.join('armitage', { validate: false });
    const b = tg.join('wilmarth', { validate: false });
    const seen: string[] = [];
    const failures: unknown[] = [];
    for (const p of [a, b]) {
      // Checked here, caught here: a throw inside deliver would be swallowed (and logged) by the bus.
      p.conn.deliver = (out, seq) => {
        try {
          const raw = JSON.parse(out.json(seq)) as Record<string, unknown>;
          const env = Envelope.parse(raw);
          expect(Object.keys(raw).sort()).toEqual(['data', 'event_type', 'player_id', 'room_id', 'sequence_number', 'timestamp']);
          expect(env.timestamp).toMatch(ISO_UTC);
          expect(env.sequence_number).toBe(seq);
          expect(raw).toEqual(JSON.parse(JSON.stringify(out.envelope(seq))));
          seen.push(env.event_type);
        } catch (err) {
          failures.push(err);
        }
      };
    }
    for (const line of ['look', 'north', 'south', 'say hi', ':nods', 'who', 'help', 'exits', 'bogus', 'go', 'quit']) a.type(line);
    b.type('say anyone?');
    expect(failures).toEqual([]);
    expect(new Set(seen)).toEqual(
      new Set(['game_state', 'room_update', 'room_occupants', 'player_left', 'player_entered', 'message', 'command_output', 'player_left_game']),
    );
  });

  it('batches room_occupants for a crowded room and always ends with the true list', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    tg = makeGame({ occupantsIntervalMs: 250 });
    const watcher = tg.join('armitage');
    const names = ['wilmarth', 'marsh', 'keziah', 'curwen', 'whateley', 'gilman'];
    for (const n of names) tg.join(n);
    const lists = () => watcher.conn.ofType('room_occupants');
    expect(lists().length).toBeLessThan(names.length); // folded, not one list per arrival
    vi.advanceTimersByTime(300);
    const last = lists().at(-1)!;
    expect(last.data.count).toBe(names.length + 1);
    expect(last.data.occupants.map((o) => o.id).sort()).toEqual(tg.game.presence.occupants(tg.world.start.id).map((o) => o.id).sort());
  });

  it('while people keep coming and going, sends each list with a change, not on its own from a timer', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    tg = makeGame({ occupantsIntervalMs: 250 });
    const { S } = rooms(tg);
    const watcher = tg.join('armitage');
    const walker = tg.join('wilmarth');
    watcher.conn.clear();
    const lists = () => watcher.conn.ofType('room_occupants').length;
    // Out and back every 60 ms for 3 s: a change in the watcher's room every 60 ms.
    let withChange = 0;
    for (let i = 0; i < 50; i++) {
      const before = lists();
      walker.type(i % 2 ? 'south' : 'north');
      withChange += lists() - before;
      const waiting = lists();
      vi.advanceTimersByTime(60);
      expect(lists()).toBe(waiting); // no list from a timer while the changes go on
    }
    // About one list per 250 ms (+ up to one 60 ms step), each with a change.
    expect(withChange).toBeGreaterThanOrEqual(9);
    expect(withChange).toBeLessThanOrEqual(13);
    // The changes stop with the walker back in the room (its last step was south), a change the
    // last list did not carry: the true list follows on its own within one interval.
    const sent = lists();
    vi.advanceTimersByTime(260);
    expect(lists()).toBe(sent + 1);
    const last = watcher.conn.ofType('room_occupants').at(-1)!;
    expect(last.data.occupants.map((o) => o.name)).toEqual(['Armitage', 'Wilmarth']);
    expect(last.data.occupants.map((o) => o.name)).toEqual(tg.game.presence.occupants(S).map((o) => o.name));
  });

  it('in a room of hundreds, sends lists more rarely while arrivals stream in, and the true list soon after they stop', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    tg = makeGame({ occupantsIntervalMs: 250 });
    const watcher = tg.join('armitage');
    const lists = () => watcher.conn.ofType('room_occupants');
    // 300 arrivals, one every 20 ms (6 s): with 50+ people the interval stretches up to 6 x 250 ms.
    for (let i = 0; i < 300; i++) {
      tg.join(`zz${String.fromCharCode(97 + Math.floor(i / 26) % 26)}${String.fromCharCode(97 + (i % 26))}`);
      vi.advanceTimersByTime(20);
    }
    const during = lists().length;
    expect(during).toBeLessThan(6000 / 250); // fewer than one list per plain interval
    expect(during).toBeGreaterThan(2); // but the list still moves while they come
    vi.advanceTimersByTime(260); // quiet for one interval: the true list follows
    const last = lists().at(-1)!;
    expect(last.data.count).toBe(301);
    expect(lists().length).toBe(during + 1);
  });
});

describe('Outbound', () => {
  it('builds the same JSON for every recipient but the sequence number', () => {
    const out = new Outbound('message', 'r1', 'p_1', {
      channel: 'say',
      from: { id: 'p_1', name: 'Armitage' },
      text: 'He said "\u2603" \\ </script>',
      message: 'Armitage says, "\u2603"',
    });
    const one = JSON.parse(out.json(1)) as Envelope;
    const two = JSON.parse(out.json(12345)) as Envelope;
    expect(one).toEqual(out.envelope(1));
    expect(two).toEqual(out.envelope(12345));
    expect({ ...one, sequence_number: 0 }).toEqual({ ...two, sequence_number: 0 });
    expect(Envelope.parse(one).timestamp).toMatch(ISO_UTC);
  });

  it('computes a door rendering once per event, not once per recipient', () => {
    const out = new Outbound('command_output', null, null, { text: 'x' });
    let made = 0;
    for (let i = 0; i < 10; i++) out.memo('telnet:1:80', () => ++made);
    expect(made).toBe(1);
    expect(out.memo('telnet:0:80', () => 'other')).toBe('other');
  });

  it('is the same envelope a client validates (a connection recording them finds no problem)', () => {
    const c = new RecordingConnection();
    c.deliver(new Outbound('pong', null, null, { id: 7 }), 1);
    c.deliver(new Outbound('error', null, null, { code: 'bad', message: 'no' }), 2);
    expect(c.problems).toEqual([]);
    expect(c.received.map((e) => e.event_type)).toEqual(['pong', 'error']);
  });
});
