import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Envelope } from '../../../shared/protocol.js';
import { initialState, reduce, SCROLLBACK, type Action, type GameState } from '../../../cli/tui/state.js';
import { authOk, entered, envelope, gameState, left, ME, said, SQUARE, STREET } from './fixtures.js';

const fresh = () => initialState({ url: 'ws://127.0.0.1:4001/ws' });
const feed = (state: GameState, ...envs: Envelope[]) => envs.reduce((s, env) => reduce(s, { type: 'envelope', env }), state);
const names = (s: GameState) => s.occupants.map((o) => `${o.name}:${o.status}`);
const texts = (s: GameState) => s.lines.map((l) => l.text);

describe('state reducer: a recorded session', () => {
  // Frames captured from the real server: a WebSocket player logs in (after an unknown-name
  // answer), a telnet player enters, talks, goes away, walks out and back, and quits.
  const recorded = (JSON.parse(readFileSync(new URL('./recorded-session.json', import.meta.url), 'utf8')) as unknown[]).map((f) =>
    Envelope.parse(f),
  );

  it('applies a burst of envelopes in one action exactly as one by one', () => {
    const waiting: GameState = { ...fresh(), login: { ...fresh().login, step: 'waiting', name: 'Armitage', password: 'secret-pass' } };
    const oneByOne = recorded.reduce((s, env) => reduce(s, { type: 'envelope', env, authCode: env.event_type === 'auth_error' ? 'unknown_name' : null }), waiting);
    const burst = reduce(waiting, { type: 'envelopes', list: recorded.map((env) => ({ env, authCode: env.event_type === 'auth_error' ? 'unknown_name' : null })) });
    expect(burst).toEqual(oneByOne);
    expect(burst.lines.length).toBeGreaterThan(10);
  });

  it('follows the panel and the terminal through every event of the session', () => {
    let s = fresh();
    s = { ...s, login: { ...s.login, step: 'waiting', name: 'Armitage', password: 'secret-pass' } };
    const at = (n: number) => recorded.find((e) => e.sequence_number === n)!;
    s = reduce(s, { type: 'envelope', env: at(1), authCode: 'unknown_name' });
    expect(s.phase).toBe('login');
    expect(s.login.step).toBe('confirm');
    s = feed(s, at(2), at(3), at(4));
    expect(s.phase).toBe('game');
    expect(s.room?.name).toBe('Independence Square');
    expect(names(s)).toEqual(['Armitage:online']);
    expect(texts(s)).toContain('Independence Square');
    expect(texts(s)).toContain('Exits: north, south, east, west.');
    s = feed(s, at(5));
    expect(names(s)).toEqual(['Armitage:online', 'Wilmarth:online']);
    s = feed(s, at(6), at(7));
    expect(s.lines.at(-1)).toMatchObject({ kind: 'say', text: 'Wilmarth says, "hello there"' });
    s = feed(s, at(8));
    expect(names(s)).toEqual(['Armitage:online', 'Wilmarth:away']);
    s = feed(s, at(9));
    expect(names(s)).toEqual(['Armitage:online']);
    expect(s.lines.at(-1)).toMatchObject({ kind: 'movement', text: 'Wilmarth leaves north.' });
    s = feed(s, at(10));
    expect(names(s)).toContain('Wilmarth:online');
    s = feed(s, at(11), at(12), at(13));
    expect(s.room?.name).toBe('Garrison Street');
    expect(names(s)).toEqual(['Armitage:online']);
    s = feed(s, at(14));
    expect(s.room?.name).toBe('Independence Square');
    expect(texts(s)).toContain('Also here: Wilmarth (away).');
    const before = s.lines.length;
    s = feed(s, at(15), at(16), at(17));
    expect(s.lines.length).toBe(before + 4); // `who` has three lines, the error one, pong none
    s = feed(s, at(18), at(19));
    expect(names(s)).toEqual(['Armitage:online']);
    s = feed(s, at(20));
    expect(names(s)).toEqual(['Armitage:online']);
  });
});

describe('state reducer: the panel', () => {
  const inGame = () => feed(fresh(), authOk(), gameState([{ id: 'p_w', name: 'Wilmarth' }]));

  it('game_state and room_update replace the room and the occupants', () => {
    let s = inGame();
    expect(s.self).toEqual(ME);
    expect(names(s)).toEqual(['Armitage:online', 'Wilmarth:online']);
    s = feed(s, envelope('room_update', { room: STREET, occupants: [{ id: ME.id, name: ME.name, status: 'online' }], message: 'Garrison Street' }, { room_id: STREET.id, player_id: ME.id }));
    expect(s.room).toEqual(STREET);
    expect(names(s)).toEqual(['Armitage:online']);
  });

  it('player_entered and player_left add and remove, each once', () => {
    let s = feed(inGame(), entered('p_d', 'Dyer'), entered('p_d', 'Dyer'));
    expect(names(s)).toEqual(['Armitage:online', 'Wilmarth:online', 'Dyer:online']);
    s = feed(s, left('p_w', 'Wilmarth'));
    expect(names(s)).toEqual(['Armitage:online', 'Dyer:online']);
  });

  it('player_entered_game and player_left_game do the same for logins and quits', () => {
    let s = feed(
      inGame(),
      envelope('player_entered_game', { player_id: 'p_l', player_name: 'Lake', message: 'Lake has entered the game.' }, { room_id: SQUARE.id, player_id: 'p_l' }),
    );
    expect(names(s)).toContain('Lake:online');
    s = feed(s, envelope('player_left_game', { player_id: 'p_l', player_name: 'Lake', message: 'Lake has left the game.' }, { room_id: SQUARE.id, player_id: 'p_l' }));
    expect(names(s)).not.toContain('Lake:online');
    expect(s.lines.at(-1)!.text).toBe('Lake has left the game.');
  });

  it('presence marks away, busy and link-dead, and back', () => {
    const presence = (status: 'online' | 'away' | 'busy' | 'linkdead') =>
      envelope('presence', { player_id: 'p_w', player_name: 'Wilmarth', status, message: `Wilmarth is ${status}.` }, { room_id: SQUARE.id, player_id: 'p_w' });
    let s = inGame();
    for (const status of ['away', 'busy', 'linkdead', 'online'] as const) {
      s = feed(s, presence(status));
      expect(names(s)).toEqual(['Armitage:online', `Wilmarth:${status}`]);
    }
  });

  it('room_occupants replaces the list of the current room only', () => {
    let s = feed(inGame(), envelope('room_occupants', { room_id: STREET.id, occupants: [], count: 0 }, { room_id: STREET.id }));
    expect(names(s)).toEqual(['Armitage:online', 'Wilmarth:online']);
    s = feed(s, envelope('room_occupants', { room_id: SQUARE.id, occupants: [{ id: ME.id, name: ME.name, status: 'online' }], count: 1 }, { room_id: SQUARE.id }));
    expect(names(s)).toEqual(['Armitage:online']);
  });

  it('events about another room leave the panel alone', () => {
    const s = feed(inGame(), entered('p_x', 'Xavier', STREET.id));
    expect(names(s)).toEqual(['Armitage:online', 'Wilmarth:online']);
  });
});

describe('state reducer: the terminal', () => {
  it('styles lines by kind: room, exits, speech, tells, system, errors', () => {
    const s = feed(
      fresh(),
      authOk(),
      gameState(),
      said('p_w', 'Wilmarth', 'hello'),
      envelope('message', { channel: 'tell', from: { id: 'p_w', name: 'Wilmarth' }, text: 'psst', message: 'Wilmarth tells you, "psst"' }),
      envelope('message', { channel: 'broadcast', from: null, text: 'Reboot soon', message: '*** Reboot soon ***' }),
      envelope('error', { code: 'not_logged_in', message: 'Log in first.' }),
    );
    const kinds = s.lines.map((l) => l.kind);
    expect(kinds).toEqual(['system', 'room', 'description', 'exits', 'say', 'tell', 'broadcast', 'error']);
  });

  it('keeps at least 5000 lines, dropping the oldest beyond its bound', () => {
    let s = fresh();
    for (let i = 0; i < 30; i++) s = reduce(s, { type: 'lines', lines: Array.from({ length: 1000 }, (_, j) => ({ kind: 'output' as const, text: `l${i * 1000 + j}` })) });
    expect(s.lines.length).toBeGreaterThanOrEqual(5000);
    expect(s.lines.length).toBeLessThanOrEqual(SCROLLBACK + 500);
    expect(s.lines.at(-1)!.text).toBe('l29999');
    expect(s.lines.at(-1)!.id - s.lines[0]!.id).toBe(s.lines.length - 1);
  });

  it('while scrolled back, new lines keep the view and are counted; /clear empties it', () => {
    let s = fresh();
    s = reduce(s, { type: 'lines', lines: Array.from({ length: 100 }, (_, i) => ({ kind: 'output' as const, text: `l${i}` })) });
    const scroll: Action = { type: 'scroll', to: 'up', width: 80, height: 10 };
    s = reduce(s, scroll);
    const anchor = s.anchor;
    expect(anchor).not.toBeNull();
    s = feed(s, said('p_w', 'Wilmarth', 'one'), said('p_w', 'Wilmarth', 'two'));
    expect(s.anchor).toBe(anchor);
    s = reduce(s, { type: 'scroll', to: 'bottom', width: 80, height: 10 });
    expect(s.anchor).toBeNull();
    s = reduce(s, { type: 'clear' });
    expect(s.lines).toEqual([]);
  });

  it('says when the link drops and comes back, once, not once per retry', () => {
    let s = feed(fresh(), authOk(), gameState());
    s = reduce(s, { type: 'connection', status: { state: 'connected' } });
    s = reduce(s, { type: 'rtt', ms: 12 });
    expect(s.rttMs).toBe(12);
    const before = s.lines.length;
    s = reduce(s, { type: 'connection', status: { state: 'reconnecting', retryAt: Date.now() + 1000, attempt: 1, reason: 'the connection dropped' } });
    expect(s.rttMs).toBeNull();
    s = reduce(s, { type: 'connection', status: { state: 'connecting', attempt: 1 } });
    s = reduce(s, { type: 'connection', status: { state: 'reconnecting', retryAt: Date.now() + 2000, attempt: 2, reason: 'connection refused' } });
    s = reduce(s, { type: 'connection', status: { state: 'connecting', attempt: 2 } });
    s = reduce(s, { type: 'connection', status: { state: 'connected' } });
    expect(texts(s).slice(before)).toEqual(['Connection lost: the connection dropped. Reconnecting...', 'Reconnected.']);
  });
});
