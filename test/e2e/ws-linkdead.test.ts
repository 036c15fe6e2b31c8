// Lost links on the WebSocket door, end to end, with a short resume window and heartbeat: a dropped
// player is seen link-dead by both doors and leaves the game when the window ends; a peer that
// stops answering pings is cut loose and treated the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startServer, telnetLogin, type ServerProcess } from './harness.js';
import { WsClient, wsEnter } from './ws-client.js';

describe('websocket door: link-dead players and the heartbeat', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ args: ['--resume-window', '2', '--heartbeat', '1'] });
  });
  afterAll(async () => {
    await server?.stop();
    if (server) removeDir(server.dataDir);
  });

  it('shows a dropped player as link-dead, then lets them leave when the window ends', async () => {
    const armitage = await telnetLogin(server.telnetPort, 'armitage');
    const { client: olmstead } = await wsEnter(server.wsUrl, 'olmstead');
    const { client: gilman, authOk } = await wsEnter(server.wsUrl, 'gilman');
    expect(authOk.data.resume_window_s).toBe(2);
    await armitage.waitFor('Gilman has entered the game.');
    await olmstead.waitFor('player_entered_game', (e) => e.data.player_name === 'Gilman');

    gilman.drop();
    await armitage.waitFor('Gilman has lost their link.');
    const presence = await olmstead.waitFor('presence', (e) => e.data.player_name === 'Gilman');
    expect(presence.data).toMatchObject({ status: 'linkdead', message: 'Gilman has lost their link.' });
    await olmstead.waitFor('room_occupants', (e) =>
      e.data.occupants.some((o) => o.name === 'Gilman' && o.status === 'linkdead'),
    );
    armitage.send('look');
    await armitage.waitFor(/Also here:[^\n]*Gilman \(link-dead\)/);

    // The window (2 s) ends: the body leaves the game, both doors are told.
    await armitage.waitFor("Gilman's link has been lost too long; they fade from Arkham.", 15_000);
    const left = await olmstead.waitFor('player_left_game', (e) => e.data.player_name === 'Gilman', 15_000);
    expect(left.data.message).toMatch(/fade from Arkham/);
    await olmstead.waitFor('room_occupants', (e) => e.data.occupants.every((o) => o.name !== 'Gilman'));

    // Too late to resume: auth_error says to log in again, and logging in works.
    const late = await WsClient.connect(server.wsUrl);
    late.send({ type: 'resume', session_token: authOk.data.session_token, last_sequence: gilman.lastSequence });
    const denied = await late.waitFor('auth_error');
    expect(denied.data.reason).toBe('session_expired');
    const { gameState } = await wsEnter(server.wsUrl, 'gilman', { client: late, login: true });
    expect(gameState.data.player.name).toBe('Gilman');
    await armitage.waitFor('Gilman has entered the game.');

    for (const c of [olmstead, late]) {
      c.command('quit');
      await c.waitClosed();
      expect(c.problems).toEqual([]);
    }
    expect(gilman.problems).toEqual([]);
    armitage.close();
  });

  it('cuts loose a peer that stops answering pings, as a lost link', async () => {
    const armitage = await telnetLogin(server.telnetPort, 'marsh');
    const { client: lively } = await wsEnter(server.wsUrl, 'lively');
    // autoPong off: this client never answers the server's pings.
    const silent = await WsClient.connect(server.wsUrl, { autoPong: false });
    await wsEnter(server.wsUrl, 'keziah', { client: silent });
    await armitage.waitFor('Keziah has entered the game.');

    // Two missed pings at one per second: cut loose without a closing handshake.
    expect(await silent.waitClosed(15_000)).toBe(1006);
    await armitage.waitFor('Keziah has lost their link.');
    // The client that answers is still here and playing.
    expect(lively.closed).toBe(false);
    await lively.ping();
    lively.command('say still here');
    await armitage.waitFor('Lively says, "still here"');

    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^mythos_ws_dropped_total\{reason="heartbeat"\} [1-9]/m);
    expect(lively.problems).toEqual([]);
    expect(silent.problems).toEqual([]);
    lively.command('quit');
    await lively.waitClosed();
    armitage.close();
  });
});
