// A player's session: sequence numbers, the bounded replay buffer, resume and takeover.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Outbound } from '../../../server/core/outbound.js';
import { ReplayLog } from '../../../server/core/replay-log.js';
import { PlayerSession, REPLAY_LIMIT } from '../../../server/core/session.js';
import { makeGame, RecordingConnection, type TestGame } from '../helpers.js';

const out = (text: string) => new Outbound('command_output', null, 'p_1', { text });
const seqs = (c: RecordingConnection) => c.received.map((e) => e.sequence_number);
const textsOf = (c: RecordingConnection) => c.ofType('command_output').map((e) => e.data.text);

let tg: TestGame | undefined;
afterEach(() => {
  vi.useRealTimers();
  tg?.cleanup();
  tg = undefined;
});

describe('PlayerSession', () => {
  it('numbers what it sends 1, 2, 3... and keeps counting while no connection is attached', () => {
    const s = new PlayerSession('p_1', 'Armitage', new ReplayLog());
    const c = new RecordingConnection();
    s.connection = c;
    s.send(out('a'));
    s.send(out('b'));
    s.connection = null;
    s.send(out('c')); // link-dead: kept for a resume, delivered to nobody
    expect(seqs(c)).toEqual([1, 2]);
    expect(s.lastSequence).toBe(3);
  });

  it('replays everything after the last sequence a client saw, in order, with the same numbers', () => {
    const s = new PlayerSession('p_1', 'Armitage', new ReplayLog());
    const first = new RecordingConnection();
    s.connection = first;
    for (const t of ['a', 'b', 'c']) s.send(out(t));
    s.connection = null;
    for (const t of ['d', 'e']) s.send(out(t));
    const second = new RecordingConnection();
    s.connection = second;
    // The second connection saw nothing yet; to satisfy its own 1, 2, 3 check we replay from 0.
    expect(s.replayAfter(0)).toBe(true);
    expect(textsOf(second)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(seqs(second)).toEqual([1, 2, 3, 4, 5]);
    expect(second.problems).toEqual([]);
  });

  it('replays only the missed tail, and nothing when nothing was missed', () => {
    const s = new PlayerSession('p_1', 'Armitage', new ReplayLog());
    for (const t of ['a', 'b', 'c', 'd']) s.send(out(t));
    const c = new RecordingConnection('ws', { validate: false });
    s.connection = c;
    const delivered: number[] = [];
    c.deliver = (_o, seq) => void delivered.push(seq);
    expect(s.replayAfter(2)).toBe(true);
    expect(delivered).toEqual([3, 4]);
    delivered.length = 0;
    expect(s.replayAfter(4)).toBe(true);
    expect(delivered).toEqual([]);
  });

  it('refuses a replay from the future, from beyond the buffer, or without a connection', () => {
    const s = new PlayerSession('p_1', 'Armitage', new ReplayLog());
    for (let i = 0; i < REPLAY_LIMIT + 10; i++) s.send(out(String(i)));
    expect(s.replayAfter(0)).toBe(false); // no connection
    const c = new RecordingConnection('ws', { validate: false });
    s.connection = c;
    expect(s.replayAfter(s.lastSequence + 1)).toBe(false);
    expect(s.replayAfter(5)).toBe(false); // 505 missed, 500 held
    expect(c.deliveries).toBe(0);
    expect(s.replayAfter(10)).toBe(true); // exactly the buffer
    expect(c.deliveries).toBe(REPLAY_LIMIT);
  });

  it('never holds more than REPLAY_LIMIT events', () => {
    const s = new PlayerSession('p_1', 'Armitage', new ReplayLog());
    for (let i = 0; i < REPLAY_LIMIT * 5; i++) s.send(out(String(i)));
    // The ring is private; its bound shows as "a replay of more than the limit is refused".
    const c = new RecordingConnection('ws', { validate: false });
    s.connection = c;
    expect(s.replayAfter(s.lastSequence - REPLAY_LIMIT - 1)).toBe(false);
    expect(s.replayAfter(s.lastSequence - REPLAY_LIMIT)).toBe(true);
  });

  it('starts again at 1 after restartSequence, with nothing of before left to replay', () => {
    const s = new PlayerSession('p_1', 'Armitage', new ReplayLog());
    for (const t of ['a', 'b']) s.send(out(t));
    s.restartSequence(0);
    expect(s.lastSequence).toBe(0);
    const c = new RecordingConnection();
    s.connection = c;
    expect(s.replayAfter(0)).toBe(true); // nothing missed
    expect(c.deliveries).toBe(0);
    expect(s.replayAfter(2)).toBe(false); // the old numbers are gone
    s.send(out('c'));
    expect(seqs(c)).toEqual([1]);
    expect(textsOf(c)).toEqual(['c']);
  });
});

describe('sessions in the game: takeover, link loss and resume', () => {
  it('a second login takes over the body: the old connection is told and closed, one body, sequence from 1', () => {
    tg = makeGame();
    const a = tg.join('armitage');
    const b = tg.join('wilmarth');
    a.type('north');
    const second = new RecordingConnection();
    const session = tg.game.enter(a.account, second);
    expect(session).toBe(a.session);
    expect(a.conn.closed).toBe(true);
    expect(a.conn.closeNotice).toMatch(/logged in as you from elsewhere/);
    expect(tg.game.presence.size).toBe(2);
    expect(tg.game.presence.inconsistencies()).toEqual([]);
    expect(second.received.map((e) => e.event_type)).toEqual(['auth_ok', 'game_state']);
    expect(second.received[0]!.sequence_number).toBe(1);
    expect(second.ofType('game_state')[0]!.data.room.id).toBe(a.room()); // the body stayed where it was
    expect(second.problems).toEqual([]);
    expect(b.conn.ofType('player_entered_game').filter((e) => e.data.player_name === 'Armitage')).toHaveLength(0);
  });

  it('a lost link leaves the body link-dead; the room is told; it leaves the game after the window', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    tg = makeGame({ resumeWindowS: 30 });
    const a = tg.join('armitage');
    const b = tg.join('wilmarth');
    tg.game.connectionLost(a.session, a.conn);
    expect(tg.game.presence.get(a.account.id)?.status).toBe('linkdead');
    expect(b.conn.ofType('presence').map((e) => e.data.message)).toEqual(['Armitage has lost their link.']);
    vi.advanceTimersByTime(29_000);
    expect(tg.game.presence.get(a.account.id)).toBeDefined();
    vi.advanceTimersByTime(2_000);
    expect(tg.game.presence.get(a.account.id)).toBeUndefined();
    expect(b.conn.ofType('player_left_game').map((e) => e.data.message)).toEqual([
      "Armitage's link has been lost too long; they fade from Arkham.",
    ]);
  });

  it('logging in to a link-dead body brings it back, numbered from 1 with no repeats', () => {
    tg = makeGame();
    const a = tg.join('armitage');
    const b = tg.join('wilmarth');
    tg.game.connectionLost(a.session, a.conn);
    b.type('say are you there?'); // heard by the link-dead body's session
    const again = new RecordingConnection();
    tg.game.enter(a.account, again);
    expect(tg.game.presence.get(a.account.id)?.status).toBe('online');
    expect(again.problems).toEqual([]);
    expect(seqs(again)).toEqual(again.received.map((_, i) => i + 1));
    expect(again.received.map((e) => e.event_type)).toContain('auth_ok');
    expect(b.conn.ofType('presence').map((e) => e.data.message)).toEqual(['Armitage has lost their link.', 'Armitage is back.']);
  });

  it('resume replays what a link-dead session missed, once each, in order, then continues live', () => {
    tg = makeGame();
    const a = tg.join('armitage', { door: 'ws' });
    const b = tg.join('wilmarth');
    const seen = a.session.lastSequence;
    tg.game.connectionLost(a.session, a.conn);
    b.type('say one');
    b.type('say two');
    const missed = a.session.lastSequence;
    expect(missed).toBeGreaterThan(seen);

    // The client reconnects and says what it saw last; it expects seen+1, seen+2, ... next.
    const c = new RecordingConnection('ws', { validate: false });
    const got: Array<{ seq: number; type: string }> = [];
    c.deliver = (o, seq) => void got.push({ seq, type: o.eventType });
    expect(tg.game.resume(a.session.token, seen, c)).toBe(a.session);
    expect(got.map((g) => g.seq)).toEqual(got.map((_, i) => seen + 1 + i)); // no gap, no repeat
    expect(got.filter((g) => g.type === 'message')).toHaveLength(2);
    expect(got.length).toBeGreaterThanOrEqual(missed - seen);
    b.type('say three');
    expect(got.at(-1)!.seq).toBe(seen + got.length);
    expect(tg.game.presence.get(a.account.id)?.status).toBe('online');
  });

  it('resume with an unknown token, or after the body left, gives nothing', () => {
    tg = makeGame();
    const a = tg.join('armitage', { door: 'ws' });
    expect(tg.game.resume('nonsense', 0, new RecordingConnection('ws'))).toBeUndefined();
    const token = a.session.token;
    a.type('quit');
    expect(tg.game.resume(token, 0, new RecordingConnection('ws'))).toBeUndefined();
  });

  it('continues after the frames a connection numbered itself before login', () => {
    const s = new PlayerSession('p_1', 'Armitage', new ReplayLog());
    s.restartSequence(2);
    const c = new RecordingConnection();
    s.connection = c;
    s.send(out('a'));
    expect(s.lastSequence).toBe(3);
    expect(c.received.map((e) => e.sequence_number)).toEqual([3]);
  });

  it('gets a new token when another login takes the body', () => {
    const s = new PlayerSession('p_1', 'Armitage', new ReplayLog());
    const before = s.token;
    s.rotateToken();
    expect(s.token).not.toBe(before);
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('keeps no replay buffer for a client that cannot resume (telnet)', () => {
    const s = new PlayerSession('p_1', 'Armitage', new ReplayLog());
    s.restartSequence(0, false);
    for (const t of ['a', 'b', 'c']) s.send(out(t));
    const c = new RecordingConnection();
    s.connection = c;
    expect(s.replayAfter(1)).toBe(false);
    expect(c.deliveries).toBe(0);
  });

  it('refuses a replay whose events the shared log has since overwritten (a fresh state instead)', () => {
    const log = new ReplayLog(2048);
    const s = new PlayerSession('p_1', 'Armitage', log);
    const other = new PlayerSession('p_2', 'Wilmarth', log);
    for (const t of ['a', 'b']) s.send(out(t));
    // Someone else's traffic goes round the log: this session's two events are gone from it.
    for (let i = 0; i < 40; i++) other.send(out(`chatter ${i}`));
    const c = new RecordingConnection('ws');
    s.connection = c;
    expect(s.replayAfter(0)).toBe(false);
    expect(c.deliveries).toBe(0);
    expect(s.replayAfter(2)).toBe(true); // nothing missed: nothing to read
    expect(c.deliveries).toBe(0);
    // Events kept after that are replayed as before, from the log, as they were sent.
    const later = new PlayerSession('p_3', 'Marsh', log);
    later.send(out('c'));
    later.send(out('d'));
    const d = new RecordingConnection('ws');
    later.connection = d;
    expect(later.replayAfter(0)).toBe(true);
    expect(textsOf(d)).toEqual(['c', 'd']);
    expect(seqs(d)).toEqual([1, 2]);
    expect(d.problems).toEqual([]);
  });

  it('holds at most REPLAY_BUDGET_BYTES of JSON: a resume past that gets a fresh state instead', () => {
    const s = new PlayerSession('p_1', 'Armitage', new ReplayLog());
    const big = 'x'.repeat(10_000);
    for (let i = 0; i < 20; i++) s.send(out(big));
    const c = new RecordingConnection();
    s.connection = c;
    // 128 KiB holds the last twelve 10 KB events, not all twenty.
    expect(s.replayAfter(20 - 12)).toBe(true);
    expect(c.deliveries).toBe(12);
    expect(s.replayAfter(20 - 13)).toBe(false);
    expect(c.deliveries).toBe(12);
  });
});
