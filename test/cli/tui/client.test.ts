// The client's own rules (resume, fallback login, backoff, when not to come back, bad frames,
// round trips), checked against a scripted WebSocket peer that speaks the contract. The real
// server is exercised by test/e2e/tui-*.test.tsx.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientMessage, type Envelope } from '../../../shared/protocol.js';
import { MythosClient, type ConnectionStatus } from '../../../cli/tui/client.js';
import { authOk, envelope, gameState } from './fixtures.js';

const tick = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick(10);
  }
}

/** A peer that records every client frame (validated) per connection and lets the test answer. */
class Peer {
  readonly wss: WebSocketServer;
  readonly sockets: WebSocket[] = [];
  readonly frames: ClientMessage[][] = [];
  private seq = 0;

  constructor() {
    this.wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    this.wss.on('connection', (ws) => {
      const index = this.sockets.push(ws) - 1;
      this.frames[index] = [];
      ws.on('message', (data) => this.frames[index]!.push(ClientMessage.parse(JSON.parse(String(data)))));
    });
  }
  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/ws`;
  }
  send(env: Envelope, conn = this.sockets.length - 1): void {
    this.sockets[conn]!.send(JSON.stringify({ ...env, sequence_number: ++this.seq }));
  }
  raw(text: string, conn = this.sockets.length - 1): void {
    this.sockets[conn]!.send(text);
  }
  close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    return new Promise((r) => this.wss.close(() => r()));
  }
}

const peers: Peer[] = [];
const clients: MythosClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const p of peers.splice(0)) await p.close();
});

async function setup(opts: { pingIntervalMs?: number; pingTimeoutMs?: number } = {}) {
  const peer = new Peer();
  peers.push(peer);
  await once(peer.wss, 'listening');
  const client = new MythosClient({ url: peer.url, backoff: { initialMs: 50, maxMs: 200 }, ...opts });
  clients.push(client);
  const statuses: ConnectionStatus[] = [];
  const envs: Envelope[] = [];
  const bad: string[] = [];
  const rtts: number[] = [];
  client.on({ status: (s) => statuses.push(s), envelope: (e) => envs.push(e), badFrame: (w) => bad.push(w), rtt: (ms) => rtts.push(ms) });
  return { peer, client, statuses, envs, bad, rtts };
}

async function loggedIn(t: Awaited<ReturnType<typeof setup>>) {
  t.client.start();
  t.client.authenticate({ kind: 'login', name: 'armitage', password: 'secret-pass' });
  await until(() => t.peer.frames[0]?.some((f) => f.type === 'login') === true, 'the login frame');
  t.peer.send(authOk());
  t.peer.send(gameState());
  await until(() => t.envs.length === 2, 'the first envelopes');
}

describe('MythosClient', () => {
  it('sends the login once the socket opens, then pings and measures the round trip', async () => {
    const t = await setup({ pingIntervalMs: 60_000 });
    await loggedIn(t);
    expect(t.peer.frames[0]![0]).toEqual({ type: 'login', name: 'armitage', password: 'secret-pass' });
    await until(() => t.peer.frames[0]!.some((f) => f.type === 'ping'), 'a ping');
    const ping = t.peer.frames[0]!.find((f) => f.type === 'ping')!;
    expect(ping.type === 'ping' && typeof ping.id).toBe('number');
    t.peer.send(envelope('pong', { id: ping.type === 'ping' ? (ping.id ?? null) : null }));
    await until(() => t.rtts.length === 1, 'a round trip');
    expect(t.rtts[0]).toBeGreaterThanOrEqual(0);
    expect(t.client.command('look')).toBe(true);
    await until(() => t.peer.frames[0]!.some((f) => f.type === 'command'), 'the command');
  });

  it('after a drop, sends resume with the token and the last sequence number first', async () => {
    const t = await setup({ pingIntervalMs: 60_000 });
    await loggedIn(t);
    const last = t.client.sequence;
    t.peer.sockets[0]!.terminate();
    await until(() => t.statuses.some((s) => s.state === 'reconnecting'), 'reconnecting');
    await until(() => (t.peer.frames[1]?.length ?? 0) > 0, 'the second connection speaks');
    expect(t.peer.frames[1]![0]).toEqual({ type: 'resume', session_token: 'tok', last_sequence: last });
  });

  it('falls back to a login with the same credentials when the resume is refused', async () => {
    const t = await setup({ pingIntervalMs: 60_000 });
    await loggedIn(t);
    t.peer.sockets[0]!.terminate();
    await until(() => (t.peer.frames[1]?.length ?? 0) > 0, 'the resume');
    t.peer.send(envelope('auth_error', { reason: 'session_expired', message: 'That session has ended or never existed; log in again.' }));
    await until(() => t.peer.frames[1]!.length === 2, 'the login after it');
    expect(t.peer.frames[1]![1]).toEqual({ type: 'login', name: 'armitage', password: 'secret-pass' });
    // The refused resume is the client's business: the screen never sees that auth_error.
    expect(t.envs.some((e) => e.event_type === 'auth_error')).toBe(false);
  });

  it('backs off more and more while the server is away, and says why', async () => {
    const t = await setup();
    const url = t.peer.url;
    await t.peer.close();
    const client = new MythosClient({ url, backoff: { initialMs: 20, maxMs: 1000, factor: 2 } });
    clients.push(client);
    // Each wait as announced: retryAt minus the moment the status was reported.
    const waits: Array<{ attempt: number; ms: number; reason: string }> = [];
    client.on({
      status: (s) => {
        if (s.state === 'reconnecting') waits.push({ attempt: s.attempt, ms: s.retryAt - Date.now(), reason: s.reason });
      },
    });
    client.start();
    await until(() => waits.length >= 5, 'five retries');
    expect(waits.map((w) => w.attempt).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    // 20, 40, 80, 160, 320 ms, each within the +-20% jitter (and a few ms of clock).
    waits.slice(0, 5).forEach((w, i) => {
      const base = 20 * 2 ** i;
      expect(w.ms).toBeGreaterThanOrEqual(base * 0.8 - 2);
      expect(w.ms).toBeLessThanOrEqual(base * 1.2 + 2);
    });
    expect(waits[0]!.reason).toMatch(/connection refused/);
  });

  it('does not come back after a kick, but does after a shutdown', async () => {
    const kicked = await setup({ pingIntervalMs: 60_000 });
    await loggedIn(kicked);
    kicked.peer.send(envelope('message', { channel: 'system', from: null, text: 'You have been removed from the game by an administrator.', message: 'x' }));
    await until(() => kicked.envs.length === 3, 'the notice');
    kicked.peer.sockets[0]!.close(1000, 'goodbye');
    await until(() => kicked.statuses.at(-1)?.state === 'offline', 'offline');
    const notice = 'You have been removed from the game by an administrator.';
    expect(kicked.statuses.at(-1)).toEqual({ state: 'offline', reason: notice, notice, rejoin: true });
    await tick(300);
    expect(kicked.peer.sockets.length).toBe(1);
    // The player asks to come back: a new connection, straight into the login it had.
    kicked.client.reconnect();
    await until(() => kicked.peer.frames[1]?.some((f) => f.type === 'login') === true, 'the login again');
    expect(kicked.peer.frames[1]!.filter((f) => f.type !== 'ping')).toEqual([{ type: 'login', name: 'armitage', password: 'secret-pass' }]);

    const restarted = await setup({ pingIntervalMs: 60_000 });
    await loggedIn(restarted);
    restarted.peer.send(envelope('message', { channel: 'system', from: null, text: 'The server is shutting down. Your character has been saved.', message: 'x' }));
    await until(() => restarted.envs.length === 3, 'the notice');
    restarted.peer.sockets[0]!.close(1000, 'goodbye');
    await until(() => restarted.peer.sockets.length === 2, 'a new connection');
  });

  it('names the reason of a final close on the status line; a ban cannot be rejoined', async () => {
    for (const [reason, why, rejoin] of [
      ['kicked', 'removed by an administrator', true],
      ['takeover', 'your character logged in from elsewhere', true],
      ['banned', 'banned from the game', false],
    ] as const) {
      const t = await setup({ pingIntervalMs: 60_000 });
      await loggedIn(t);
      t.peer.send(envelope('message', { channel: 'system', from: null, text: 'Goodbye.', message: 'Goodbye.' }));
      await until(() => t.envs.length === 3, 'the notice');
      t.peer.sockets[0]!.close(1000, reason);
      await until(() => t.statuses.at(-1)?.state === 'offline', 'offline');
      expect(t.statuses.at(-1)).toEqual({ state: 'offline', reason: why, notice: 'Goodbye.', rejoin });
    }
  });

  it('stops, with the server\'s words, when the server sends it away before any login', async () => {
    const t = await setup();
    t.client.start();
    for (let i = 0; i < 3; i++) t.client.authenticate({ kind: 'login', name: 'armitage', password: 'wrong-pass' });
    await until(() => t.peer.frames[0]?.some((f) => f.type === 'login') === true, 'the login');
    t.peer.send(envelope('auth_error', { reason: 'bad_password', message: 'Wrong password.' }));
    t.peer.send(envelope('message', { channel: 'system', from: null, text: 'Too many wrong passwords. Goodbye.', message: 'x' }));
    await until(() => t.envs.length === 2, 'the goodbye');
    t.peer.sockets[0]!.close(1000, 'goodbye');
    await until(() => t.statuses.at(-1)?.state === 'offline', 'offline');
    expect(t.statuses.at(-1)).toMatchObject({ state: 'offline', reason: 'Too many wrong passwords. Goodbye.', rejoin: true });
    await tick(300);
    expect(t.peer.sockets.length).toBe(1); // no retry by itself
  });

  it('reports frames that are not JSON or not envelopes, and keeps going', async () => {
    const t = await setup({ pingIntervalMs: 60_000 });
    await loggedIn(t);
    t.peer.raw('not json');
    t.peer.raw(JSON.stringify({ event_type: 'telepathy', data: {} }));
    t.peer.send(envelope('command_output', { text: 'still here' }));
    await until(() => t.envs.some((e) => e.event_type === 'command_output'), 'the good frame after the bad ones');
    expect(t.bad).toEqual(['a frame that is not JSON', 'an event this client does not understand (telepathy)']);
  });

  it('strips escape sequences and control characters from every text, whatever the server sends', async () => {
    const t = await setup();
    await loggedIn(t);
    const hostile = '\x1b[2J\x1b[Hcleared \x1b]0;pwned\x07titled \u009b31mred\x07\x08\x00 \u202eevil';
    t.peer.send(
      envelope('message', {
        channel: 'say',
        from: { id: 'p_x', name: 'Mallory\x1b[5m' },
        text: hostile,
        message: `Mallory says, "${hostile}"`,
      }),
    );
    t.peer.send(envelope('command_output', { text: 'line one\x1b[31m\nline two\x07' }));
    await until(() => t.envs.length === 4, 'the hostile frames');
    const [said, output] = t.envs.slice(2);
    expect(said).toMatchObject({
      event_type: 'message',
      data: { from: { name: 'Mallory' }, text: 'cleared titled red evil', message: 'Mallory says, "cleared titled red evil"' },
    });
    // Lines are kept apart; only what is inside them is cleaned.
    expect(output).toMatchObject({ data: { text: 'line one\nline two' } });
  });

  it('drops a link whose pings go unanswered, and reconnects', async () => {
    const t = await setup({ pingIntervalMs: 30, pingTimeoutMs: 100 });
    await loggedIn(t);
    await until(() => t.peer.sockets.length === 2, 'a reconnect after silent pings');
    expect(t.statuses.some((s) => s.state === 'reconnecting' && s.reason === 'the server stopped answering')).toBe(true);
  });

  it('quit sends `quit` and closes for good', async () => {
    const t = await setup({ pingIntervalMs: 60_000 });
    await loggedIn(t);
    t.peer.sockets[0]!.on('message', (d) => {
      if (String(d).includes('"quit"')) t.peer.sockets[0]!.close(1000, 'goodbye');
    });
    await t.client.quit();
    expect(t.peer.frames[0]!.at(-1)).toEqual({ type: 'command', text: 'quit' });
    expect(t.statuses.at(-1)?.state).toBe('offline');
    await tick(200);
    expect(t.peer.sockets.length).toBe(1);
  });
});
