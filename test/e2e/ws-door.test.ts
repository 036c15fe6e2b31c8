// The WebSocket door end to end: the real server on port 0, a client written from PROTOCOL.md
// section 4 (ws-client.ts checks every frame against the Envelope schema and +1 numbering), and a
// plain telnet player in the same room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startServer, telnetLogin, type ServerProcess } from './harness.js';
import { WsClient, wsEnter } from './ws-client.js';

const START = 'arkham_downtown_001';

describe('websocket door', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
    if (server) removeDir(server.dataDir);
  });

  it('registers a player, then meets a telnet player: enter, move, speak, leave', async () => {
    const armitage = await telnetLogin(server.telnetPort, 'armitage');

    const { client: ws, authOk, gameState } = await wsEnter(server.wsUrl, 'wilmarth');
    expect(ws.frames[0]).toBe(authOk);
    expect(ws.frames[1]).toBe(gameState);
    expect(authOk.sequence_number).toBe(1);
    expect(authOk.data.player.name).toBe('Wilmarth');
    expect(authOk.data.session_token.length).toBeGreaterThanOrEqual(20);
    expect(authOk.data.resume_window_s).toBe(60);
    expect(gameState.data.room).toMatchObject({ id: START, name: 'Independence Square' });
    expect(gameState.data.room.exits.north).toBeDefined();
    expect(gameState.data.occupants.map((o) => o.name).sort()).toEqual(['Armitage', 'Wilmarth']);
    expect(gameState.data.occupants.find((o) => o.name === 'Armitage')?.status).toBe('online');
    await armitage.waitFor('Wilmarth has entered the game.');

    // The telnet player walks out and back: the WebSocket side gets the events.
    armitage.send('north');
    const left = await ws.waitFor('player_left');
    expect(left.data).toMatchObject({ player_name: 'Armitage', to: 'north', message: 'Armitage leaves north.' });
    expect(left.room_id).toBe(START);
    await ws.waitFor('room_occupants', (e) => !e.data.occupants.some((o) => o.name === 'Armitage'));
    armitage.send('south');
    const entered = await ws.waitFor('player_entered');
    expect(entered.data).toMatchObject({ player_name: 'Armitage', from: 'north', message: 'Armitage arrives from the north.' });
    const occ = await ws.waitFor('room_occupants', (e) => e.data.occupants.some((o) => o.name === 'Armitage'));
    expect(occ.data.count).toBe(occ.data.occupants.length);
    expect(occ.data.room_id).toBe(START);

    // The WebSocket player walks out and back: the telnet side reads the lines.
    ws.command('north');
    const moved = await ws.waitFor('room_update');
    expect(moved.data.room.id).toBe('arkham_downtown_002');
    await armitage.waitFor('Wilmarth leaves north.');
    ws.command('south');
    await ws.waitFor('room_update', (e) => e.data.room.id === START);
    await armitage.waitFor('Wilmarth arrives from the north.');

    // Speech both ways, through the same command handler as telnet.
    armitage.send('say hello there');
    const heard = await ws.waitFor('message');
    expect(heard.data).toMatchObject({
      channel: 'say',
      from: { name: 'Armitage' },
      text: 'hello there',
      message: 'Armitage says, "hello there"',
    });
    ws.command('say good evening');
    await armitage.waitFor('Wilmarth says, "good evening"');
    await ws.waitForMessage('You say, "good evening"');
    ws.command('who');
    const who = await ws.waitFor('command_output');
    expect(who.data.text).toMatch(/Armitage/);

    // The telnet player quits: the WebSocket side sees it and the list shrinks.
    armitage.send('quit');
    const gone = await ws.waitFor('player_left_game');
    expect(gone.data).toMatchObject({ player_name: 'Armitage', message: 'Armitage has left the game.' });
    await ws.waitFor('room_occupants', (e) => e.data.occupants.every((o) => o.name !== 'Armitage'));

    // And the other way round: a new telnet player sees the WebSocket one quit.
    const dexter = await telnetLogin(server.telnetPort, 'dexter');
    await ws.waitFor('player_entered_game', (e) => e.data.player_name === 'Dexter');
    ws.command('quit');
    await dexter.waitFor('Wilmarth has left the game.');
    const bye = await ws.waitFor('message', (e) => e.data.channel === 'system');
    expect(bye.data.message).toMatch(/Goodbye/);
    expect(await ws.waitClosed()).toBe(1000);
    expect(ws.closeReason).toBe('quit');

    expect(ws.problems).toEqual([]);
    expect(ws.frames.map((f) => f.sequence_number)).toEqual(ws.frames.map((_, i) => i + 1));
    dexter.close();
    armitage.close();
  });

  it('answers bad frames with an error and stays usable; only a frame over 1 MiB is refused by ws', async () => {
    const c = await WsClient.connect(server.wsUrl);
    const expectError = async (code: string) => {
      const e = await c.waitFor('error');
      expect(e.data.code).toBe(code);
      expect(e.data.message.length).toBeGreaterThan(0);
      return e;
    };
    c.sendRaw('this is not json');
    await expectError('bad_json');
    c.sendRaw('[1,2,3]');
    await expectError('bad_message');
    c.sendRaw(JSON.stringify({ type: 'dance', steps: 3 }));
    expect((await expectError('unknown_type')).data.message).toMatch(/dance/);
    c.sendRaw(JSON.stringify({ type: 'command' }));
    expect((await expectError('bad_message')).data.message).toMatch(/text/);
    c.sendRaw(JSON.stringify({ type: 'register', name: 'x1', password: 'abc' }));
    expect((await expectError('bad_message')).data.message).toMatch(/name.*2 to 20 letters/);
    c.command('look');
    await expectError('not_logged_in');
    c.sendRaw(Buffer.from('{"type":"ping"}'), { binary: true });
    await expectError('binary_frame');
    expect((await c.ping('still-here')).data.id).toBe('still-here');

    // An unknown or expired token: auth_error with a reason the client can act on.
    c.send({ type: 'resume', session_token: 'no-such-token', last_sequence: 3 });
    const denied = await c.waitFor('auth_error');
    expect(denied.data.reason).toBe('session_expired');
    expect(denied.data.message).toMatch(/log in again/);

    // The same connection then logs in; its numbering goes on from the frames before.
    const { authOk } = await wsEnter(server.wsUrl, 'olmstead', { client: c });
    expect(authOk.sequence_number).toBe(10);
    c.send({ type: 'login', name: 'olmstead', password: 'secret-pass' });
    await expectError('already_logged_in');
    c.sendRaw('{oops');
    await expectError('bad_json');
    expect((await c.ping(42)).data.id).toBe(42);
    expect(c.problems).toEqual([]);
    expect(c.frames.map((f) => f.sequence_number)).toEqual(c.frames.map((_, i) => i + 1));

    // A 100 KB command is answered too_long and the connection plays on (PROTOCOL.md section 4).
    c.sendRaw(JSON.stringify({ type: 'command', text: 'say ' + 'x'.repeat(100 * 1024) }));
    expect((await expectError('too_long')).data.message).toMatch(/4096 bytes/);
    expect((await c.ping('after too_long')).data.id).toBe('after too_long');
    c.command('say still talking');
    expect((await c.waitForMessage('You say, "still talking"')).data.text).toBe('still talking');

    // Past maxPayload (1 MiB) ws itself closes the connection with 1009 (message too big).
    c.sendRaw(JSON.stringify({ type: 'command', text: 'x'.repeat(1024 * 1024 + 1) }));
    expect(await c.waitClosed()).toBe(1009);

    // The server is fine: a new connection plays, and /healthz answers.
    const d = await WsClient.connect(server.wsUrl);
    expect((await d.ping('after')).sequence_number).toBe(1);
    const health = await fetch(`${server.httpUrl}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    d.close();
  });

  it('a dropped client resumes and receives exactly the envelopes it missed', async () => {
    const curwen = await telnetLogin(server.telnetPort, 'curwen');
    // A frame before login, so the session's numbering is offset from the connection's.
    const first = await WsClient.connect(server.wsUrl);
    await first.ping('before-login');
    const { client: ward, authOk } = await wsEnter(server.wsUrl, 'ward', { client: first });
    expect(authOk.sequence_number).toBe(2);
    await curwen.waitFor('Ward has entered the game.');
    ward.command('say ready');
    await ward.waitForMessage('You say, "ready"');
    await curwen.waitFor('Ward says, "ready"');
    const last = ward.lastSequence;
    const seenBefore = ward.frames.length;
    ward.drop();

    await curwen.waitFor('Ward has lost their link.');
    curwen.send('say one');
    await curwen.waitFor('You say, "one"');
    curwen.send('say two');
    await curwen.waitFor('You say, "two"');
    curwen.send('north');
    await curwen.waitFor(/Garrison Street/);
    curwen.send('south');
    await curwen.waitFor(/Independence Square/);
    // Nothing of that reached the dropped client.
    expect(ward.frames.length).toBe(seenBefore);

    const back = await WsClient.connect(server.wsUrl);
    back.expectNext(last + 1);
    back.send({ type: 'resume', session_token: authOk.data.session_token, last_sequence: last });
    back.send({ type: 'ping', id: 'after-replay' });
    await back.waitFor('pong', (e) => e.data.id === 'after-replay');
    await curwen.waitFor('Ward is back.');

    const beforePong = back.frames.slice(0, back.frames.findIndex((f) => f.event_type === 'pong'));
    expect(beforePong[0]?.sequence_number).toBe(last + 1);
    // room_occupants lists are throttled, so how many there are depends on timing; all else is exact.
    const missed = beforePong.filter((f) => f.event_type !== 'room_occupants');
    expect(missed.map((f) => `${f.event_type}:${'message' in f.data ? String(f.data.message) : ''}`)).toEqual([
      'message:Curwen says, "one"',
      'message:Curwen says, "two"',
      'player_left:Curwen leaves north.',
      'player_entered:Curwen arrives from the north.',
    ]);
    // Nothing but the replay came first: no game_state, no repeat of what it had seen.
    expect(beforePong.every((f) => f.event_type !== 'game_state' && f.sequence_number > last)).toBe(true);

    // Back in play, numbering unbroken.
    back.command('say I am back');
    await curwen.waitFor('Ward says, "I am back"');
    await back.waitForMessage('You say, "I am back"');
    expect(back.problems).toEqual([]);

    // A resume the buffer cannot serve (here: a sequence from the future) gets a fresh game_state.
    const lastBack = back.lastSequence;
    back.drop();
    await curwen.waitFor('Ward has lost their link.');
    const again = await WsClient.connect(server.wsUrl);
    again.expectNext(null);
    again.send({ type: 'resume', session_token: authOk.data.session_token, last_sequence: lastBack + 1000 });
    const fresh = await again.waitFor('game_state');
    expect(fresh.data.room.id).toBe(START);
    expect(fresh.data.occupants.map((o) => o.name)).toContain('Curwen');
    expect(fresh.sequence_number).toBeGreaterThan(lastBack);
    await again.ping();
    expect(again.problems).toEqual([]);
    again.command('quit');
    await curwen.waitFor('Ward has left the game.');
    curwen.close();
  });

  it('answers /healthz and /metrics with our metric names', async () => {
    // Some traffic on both doors first, so every family has samples.
    const t = await telnetLogin(server.telnetPort, 'peaslee');
    const { client } = await wsEnter(server.wsUrl, 'asenath');
    await t.waitFor('Asenath has entered the game.');

    const health = await fetch(`${server.httpUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const res = await fetch(`${server.httpUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^mythos_connections\{door="ws"\} [1-9]/m);
    expect(text).toMatch(/^mythos_connections\{door="telnet"\} [1-9]/m);
    expect(text).toMatch(/^mythos_players_online [1-9]/m);
    expect(text).toMatch(/^mythos_players_linkdead \d/m);
    expect(text).toMatch(/^mythos_events_published_total\{type="PlayerEnteredGame"\} [1-9]/m);
    expect(text).toMatch(/^mythos_envelope_delivery_seconds_count\{door="ws"\} [1-9]/m);
    expect(text).toMatch(/^mythos_envelope_delivery_seconds_count\{door="telnet"\} [1-9]/m);
    expect(text).toMatch(/^mythos_envelope_delivery_seconds_bucket\{le="0.001",door="ws"\} \d/m);
    expect(text).toMatch(/^# TYPE mythos_ws_dropped_total counter/m);
    // Default process metrics.
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);

    const post = await fetch(`${server.httpUrl}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    client.command('quit');
    await client.waitClosed();
    t.close();
  });
});
