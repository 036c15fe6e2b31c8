// The WebSocket door in-process: a real Game on a temporary SQLite file, the real HTTP server and
// door on 127.0.0.1 port 0, real WebSocket clients, and limits small enough to reach in a test.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientOptions } from 'ws';
import type { EnvelopeOf } from '../../../shared/protocol.js';
import { startHttp } from '../../../server/http.js';
import { silentLogger } from '../../../server/logger.js';
import { AddressCap } from '../../../server/core/address-cap.js';
import { startWsDoor, type WsDoor, type WsDoorOptions } from '../../../server/ws/door.js';
import { WsClient, wsEnter } from '../../e2e/ws-client.js';
import { makeGame, recordingLogger, RecordingConnection, waitFor, type TestGame } from '../helpers.js';

interface Running {
  tg: TestGame;
  door: WsDoor;
  url: string;
  lines: Array<Record<string, unknown>>;
}

const running: Running[] = [];
const clients: WsClient[] = [];
const cleanups: Array<() => void> = [];

async function start(opts: WsDoorOptions = {}, gameOpts: { resumeWindowS?: number } = {}): Promise<Running> {
  const { log, lines } = recordingLogger();
  const tg = makeGame(gameOpts);
  const http = startHttp(silentLogger());
  const door = startWsDoor(tg.game, http.server, log, { heartbeatMs: 0, ...opts });
  http.server.listen(0, '127.0.0.1');
  await once(http.server, 'listening');
  const port = (http.server.address() as AddressInfo).port;
  const r: Running = { tg, door, url: `ws://127.0.0.1:${port}/ws`, lines };
  running.push(r);
  const stop = () => {
    door.close();
    door.terminate();
    http.server.close();
    http.server.closeAllConnections();
  };
  cleanups.push(stop);
  return r;
}

async function connect(url: string, opts: ClientOptions = {}): Promise<WsClient> {
  const c = await WsClient.connect(url, opts);
  clients.push(c);
  return c;
}

async function enter(url: string, name: string, opts: Parameters<typeof wsEnter>[2] = {}) {
  return wsEnter(url, name, { ...opts, client: opts.client ?? (await connect(url)) });
}

afterEach(() => {
  for (const c of clients.splice(0)) c.drop();
  for (const stop of cleanups.splice(0)) stop();
  for (const r of running.splice(0)) r.tg.cleanup();
});

describe('websocket door: limits', () => {
  it('closes a connection after three wrong passwords; other failures do not count', async () => {
    const { url } = await start();
    await enter(url, 'zadok');
    const c = await connect(url);
    const tries = ['zadok', 'nobodyhere', 'zadok', 'zadok'];
    for (const name of tries) {
      c.send({ type: 'login', name, password: 'wrong-password' });
      const e = await c.waitFor('auth_error');
      expect(e.data.reason).toBe(name === 'zadok' ? 'bad_password' : 'unknown_name');
    }
    const bye = await c.waitFor('message');
    expect(bye.data).toMatchObject({ channel: 'system', from: null });
    expect(bye.data.message).toMatch(/Too many wrong passwords/);
    expect(await c.waitClosed()).toBe(1000);
    expect(c.frames.map((f) => f.sequence_number)).toEqual([1, 2, 3, 4, 5]);
    expect(c.problems).toEqual([]);
  });

  it('closes a connection that does not log in in time', async () => {
    const { url } = await start({ limits: { loginTimeoutMs: 200 } });
    const c = await connect(url);
    const bye = await c.waitFor('message');
    expect(bye.data.message).toMatch(/too long to log in/);
    expect(await c.waitClosed()).toBe(1000);
  });

  it('queues a burst past the pace and answers every frame, in order', async () => {
    const input = { maxLines: 50, maxBytes: 32 * 1024, perSecond: 100, burst: 3, floodMs: 30_000 };
    const { url } = await start({ limits: { input } });
    const c = await connect(url);
    for (let i = 0; i < 30; i++) c.send({ type: 'ping', id: i });
    await waitFor(() => c.frames.length >= 30, 'thirty answers');
    expect(c.frames.map((f) => (f.event_type === 'pong' ? f.data.id : f.event_type))).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(c.problems).toEqual([]);
  });

  it('drops what does not fit the queue with one error, runs what did, and serves the client again', async () => {
    const input = { maxLines: 10, maxBytes: 32 * 1024, perSecond: 50, burst: 3, floodMs: 30_000 };
    const { url } = await start({ limits: { input } });
    const c = await connect(url);
    for (let i = 0; i < 30; i++) c.send({ type: 'ping', id: i });
    await waitFor(() => c.frames.filter((f) => f.event_type === 'pong').length >= 13, 'the queued pings answered');
    const kinds = c.frames.map((f) => (f.event_type === 'pong' ? `pong:${String(f.data.id)}` : `${f.event_type}:${f.event_type === 'error' ? f.data.code : ''}`));
    // Three ran at once, ten waited and ran in order; the overflow was told once, as it happened.
    expect(kinds).toEqual([
      'pong:0', 'pong:1', 'pong:2', 'error:rate_limited',
      ...Array.from({ length: 10 }, (_, i) => `pong:${i + 3}`),
    ]);
    expect(c.frames[3]!.data).toMatchObject({ message: expect.stringMatching(/10 lines are waiting/) });
    expect((await c.ping('later')).data.id).toBe('later');
    expect(c.problems).toEqual([]);
  });

  it('disconnects a client that keeps its queue overflowing, saying why', async () => {
    const input = { maxLines: 10, maxBytes: 32 * 1024, perSecond: 5, burst: 1, floodMs: 300 };
    const { url, lines } = await start({ limits: { input } });
    const c = await connect(url);
    // Bounded: at 5 a second the queue stays full; 300 ms into the overflow the door gives up.
    for (let i = 0; i < 200 && !c.closed; i++) {
      c.send({ type: 'ping', id: i });
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await c.waitClosed()).toBe(1008);
    expect(c.closeReason).toBe('flood');
    const notices = c.frames.filter((f) => f.event_type === 'error');
    expect(notices.map((f) => f.data.code)).toEqual(['rate_limited']);
    expect(c.frames.at(-1)).toMatchObject({ event_type: 'message', data: { message: expect.stringMatching(/for too long; disconnected/) } });
    expect(lines.some((l) => l.msg === 'input flood: disconnected')).toBe(true);
  });

  it('answers an oversized command with too_long, and the connection stays', async () => {
    const { url } = await start();
    const { client } = await enter(url, 'verbose');
    for (const size of [4097, 20_000, 100 * 1024]) {
      client.sendRaw(JSON.stringify({ type: 'command', text: 'say ' + 'x'.repeat(size) }));
      const e = await client.waitFor('error');
      expect(e.data.code, String(size)).toBe('too_long');
    }
    // Exactly the limit, in bytes: 4096 bytes of a 2-byte character is 2048 of them.
    client.send({ type: 'command', text: 'say ' + 'é'.repeat(2046) });
    expect((await client.waitFor('message')).data.text).toBe('é'.repeat(2046));
    client.sendRaw(JSON.stringify({ type: 'command', text: 'say ' + 'é'.repeat(2047) }));
    expect((await client.waitFor('error')).data.code).toBe('too_long');
    expect((await client.ping('still here')).data.id).toBe('still here');
    expect(client.problems).toEqual([]);
  });

  it('refuses connections over the per-address cap, and takes them again once one closes', async () => {
    const { url } = await start({ addresses: new AddressCap(2) });
    const a = await connect(url);
    await connect(url);
    await expect(WsClient.connect(url)).rejects.toThrow(/429/);
    a.drop();
    await waitFor(() => a.closed, 'the first to close');
    let again: WsClient | null = null;
    for (let i = 0; i < 50 && !again; i++) {
      again = await WsClient.connect(url).catch(() => null);
      if (!again) await new Promise((r) => setTimeout(r, 20));
    }
    expect(again).not.toBeNull();
    clients.push(again!);
    expect((await again!.ping('in')).data.id).toBe('in');
  });

  it('refuses a second login while the first is being checked, and a login after it', async () => {
    const { url } = await start();
    const c = await connect(url);
    c.send({ type: 'register', name: 'lavinia', password: 'secret-pass' });
    c.send({ type: 'login', name: 'lavinia', password: 'secret-pass' });
    const busy = await c.waitFor('error');
    expect(busy.data.code).toBe('auth_in_progress');
    const ok = await c.waitFor('auth_ok');
    expect(ok.sequence_number).toBe(2);
    c.send({ type: 'resume', session_token: ok.data.session_token, last_sequence: 1 });
    expect((await c.waitFor('error')).data.code).toBe('already_logged_in');
    expect(c.problems).toEqual([]);
  });

  it('puts no body in the game when the socket closes during the password check', async () => {
    const { url, tg, lines } = await start();
    const c = await connect(url);
    c.send({ type: 'register', name: 'ghost', password: 'secret-pass' });
    c.drop();
    await waitFor(() => lines.some((l) => l.msg === 'websocket login dropped: socket closed during the check'), 'dropped login');
    expect(tg.game.sessionCount()).toBe(0);
    expect(tg.game.presence.size).toBe(0);
  });

  it('answers only on /ws, and refuses new connections once closing', async () => {
    const { url, door } = await start();
    await expect(WsClient.connect(url.replace('/ws', '/elsewhere'))).rejects.toThrow(/404/);
    const waiting = await connect(url);
    door.close('Closing for the night.');
    const bye = await waiting.waitFor('message');
    expect(bye.data.message).toBe('Closing for the night.');
    await waiting.waitClosed();
    await expect(WsClient.connect(url)).rejects.toThrow(/503/);
  });
});

describe('websocket door: lost links', () => {
  it('cuts loose a peer that misses two heartbeats; one that answers stays', async () => {
    const { url, tg, door } = await start({ heartbeatMs: 100 });
    const lively = await enter(url, 'lively');
    const { client: silent, authOk } = await enter(url, 'silent');
    // A peer that has vanished: it reads nothing, so it answers no ping.
    silent.ws.pause();
    await waitFor(() => tg.game.presence.get(authOk.data.player.id)?.status === 'linkdead', 'link-dead');
    expect(door.dropped.get('heartbeat')).toBe(1);
    silent.ws.resume();
    expect(await silent.waitClosed()).toBe(1006);
    expect(lively.client.closed).toBe(false);
    await lively.client.ping();
    expect(lively.client.problems).toEqual([]);
  });

  it('cuts loose a client that stops reading; the others notice nothing', async () => {
    const { url, tg, door } = await start();
    const fast = await enter(url, 'fastreader');
    const slow = await enter(url, 'slowreader');
    const spammer = tg.join('spammer', { validate: false });
    const slowId = slow.authOk.data.player.id;
    slow.client.ws.pause();

    // Each say is a ~8 KiB frame to both readers. The kernel takes a few MiB before the server's
    // own queue grows; bounded: 4000 says (~32 MiB) is far more than it can take.
    const pad = 'x'.repeat(4000);
    let said = 0;
    while (said < 4000 && !door.dropped.get('backpressure')) {
      spammer.type(`say ${said} ${pad}`);
      said++;
      if (said % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(door.dropped.get('backpressure')).toBe(1);
    await waitFor(() => tg.game.presence.get(slowId)?.status === 'linkdead', 'slow reader link-dead');

    // The reading player got every line, in order, numbered without a gap.
    await waitFor(
      () => fast.client.frames.filter((f) => f.event_type === 'message').length >= said,
      'all says at the fast reader',
      30_000,
    );
    const says = fast.client.frames.filter((f) => f.event_type === 'message').map((f) => f.data.text.split(' ')[0]);
    expect(says).toEqual(Array.from({ length: said }, (_, i) => String(i)));
    await fast.client.ping();
    expect(fast.client.problems).toEqual([]);
    expect(spammer.conn.problems).toEqual([]);
    expect(fast.client.closed).toBe(false);

    // The slow one, reading again, finds a clean prefix of its frames and then the cut.
    slow.client.ws.resume();
    await slow.client.waitClosed(30_000);
    expect(slow.client.problems).toEqual([]);
    expect(slow.client.frames.filter((f) => f.event_type === 'message').length).toBeLessThan(said);
  });

  it('resume numbering: continues across pre-login frames, a resume elsewhere and a telnet takeover', async () => {
    const { url, tg } = await start();
    const spammer = tg.join('spammer');

    // Two frames before login: the session's first envelope is the connection's third frame.
    const a = await connect(url);
    a.sendRaw('nope');
    await a.ping('hi');
    const { authOk } = await enter(url, 'hutchinson', { client: a });
    expect(authOk.sequence_number).toBe(3);
    const token = authOk.data.session_token;
    spammer.type('say first');
    await a.waitForMessage('Spammer says, "first"');
    const lastA = a.lastSequence;
    a.drop();
    await waitFor(() => tg.game.presence.get(authOk.data.player.id)?.status === 'linkdead', 'link-dead');
    spammer.type('say while away');

    // Resume: the client's last_sequence is in its own numbering; the replay continues it.
    const b = await connect(url);
    b.expectNext(lastA + 1);
    b.send({ type: 'resume', session_token: token, last_sequence: lastA });
    const missed = await b.waitForMessage('Spammer says, "while away"');
    expect(missed.sequence_number).toBeGreaterThan(lastA);
    await b.ping();
    expect(b.problems).toEqual([]);

    // A resume onto a live connection takes it over; the old one is told and closed.
    const lastB = b.lastSequence;
    const c = await connect(url);
    c.expectNext(lastB + 1);
    c.send({ type: 'resume', session_token: token, last_sequence: lastB });
    const told = await b.waitFor('message', (e) => e.data.channel === 'system');
    expect(told.data.message).toMatch(/resumed from elsewhere/);
    expect(told.sequence_number).toBe(lastB + 1);
    await b.waitClosed();
    expect((await c.ping()).sequence_number).toBe(lastB + 1);
    expect(c.problems).toEqual([]);

    // A telnet login takes the body over: the session numbers from 1 again on that connection,
    // and the displaced client's token is dead, so it cannot resume its way back.
    const telnet = new RecordingConnection('telnet');
    const account = tg.store.findAccount('hutchinson')!;
    const session = tg.game.enter(account, telnet);
    await c.waitClosed();
    spammer.type('say to telnet');
    await waitFor(() => telnet.received.some((e) => e.event_type === 'message'), 'telnet hears the say');
    expect(telnet.received[0]!.sequence_number).toBe(1);
    expect(telnet.problems).toEqual([]);
    expect(session.token).not.toBe(token);
    const d = await connect(url);
    d.send({ type: 'resume', session_token: token, last_sequence: c.lastSequence });
    const refused = await d.waitFor('auth_error');
    expect(refused.data.reason).toBe('session_expired');
    expect(tg.game.session(account.id)?.connection).toBe(telnet);
    expect(d.problems).toEqual([]);
  });

  it('a login elsewhere takes the body over: the old connection is told and closed', async () => {
    const { url } = await start();
    const first = await enter(url, 'whateley');
    const second = await connect(url);
    await second.ping('before');
    const { authOk } = await enter(url, 'whateley', { client: second, login: true });
    expect(authOk.sequence_number).toBe(2);
    const told = await first.client.waitFor('message', (e) => e.data.channel === 'system');
    expect(told.data.message).toMatch(/logged in as you from elsewhere/);
    expect(await first.client.waitClosed()).toBe(1000);
    await second.ping();
    expect(first.client.problems).toEqual([]);
    expect(second.problems).toEqual([]);
  });
});
