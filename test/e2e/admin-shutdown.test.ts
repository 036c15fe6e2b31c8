// `mythos admin shutdown --grace 1` end to end: players on both doors are warned, new logins are
// refused, the server saves everyone and exits 0, and after a restart everyone is where they were.
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../../server/world/load.js';
import { admin, runAdmin, target } from './admin-run.js';
import { TelnetClient, removeDir, startServer, telnetLogin, tempDataDir, type ServerProcess } from './harness.js';
import { wsEnter } from './ws-client.js';

const world = loadWorld();
const exits = Object.entries(world.start.exits);
const [telnetDir, telnetRoom] = exits[0]!;
const [wsDir, wsRoom] = exits[1] ?? exits[0]!;

const dataDir = tempDataDir();
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  removeDir(dataDir);
});

/** A telnet login attempt while the server is closing: refused, one way or another. */
async function loginRefused(port: number): Promise<string> {
  const probe = connect(port, '127.0.0.1');
  const refusedAtConnect = await new Promise<boolean>((resolve) => {
    probe.once('connect', () => resolve(false));
    probe.once('error', () => resolve(true));
  });
  probe.destroy();
  if (refusedAtConnect) return 'the port no longer accepts connections';
  const c = await TelnetClient.connect(port).catch(() => null);
  if (!c) return 'the port no longer accepts connections';
  // A connection accepted while closing gets the closing notice instead of the name prompt.
  await c.waitClosed(15_000);
  expect(c.text).not.toMatch(/by what name/i);
  return c.text;
}

describe('mythos admin shutdown', () => {
  it('warns everyone, refuses logins, saves, exits 0; a restart keeps every position', { timeout: 180_000 }, async () => {
    const first = await startServer({ dataDir });
    servers.push(first);
    const t = await telnetLogin(first.telnetPort, 'armitage');
    const w = await wsEnter(first.wsUrl, 'wilmarth');
    t.send(telnetDir);
    await t.waitFor(new RegExp(`${world.rooms.get(telnetRoom)!.name}[\\s\\S]*Exits:`));
    w.client.command(wsDir);
    await w.client.waitFor('room_update', (e) => e.data.room.id === wsRoom);

    const exited = new Promise<number | null>((resolve) => {
      if (first.proc.exitCode !== null) resolve(first.proc.exitCode);
      else first.proc.once('exit', (code) => resolve(code));
    });
    const r = await runAdmin(['shutdown', '--grace', '1', ...target(first)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Shutting down in 1 second.\n');

    const refusal = await loginRefused(first.telnetPort);
    expect(refusal).toMatch(/shutting down|no longer accepts/i);

    await t.waitFor('*** The server will shut down in 1 second. Your character will be saved. ***');
    await t.waitFor('*** The server is shutting down now. ***');
    await t.waitFor('Your character has been saved.');
    await t.waitClosed();
    await w.client.waitForMessage('The server will shut down in 1 second.');
    await w.client.waitForMessage('The server is shutting down now.');
    // 1001 "going away" with reason `shutdown`: a client knows the server will be back.
    expect(await w.client.waitClosed()).toBe(1001);
    expect(w.client.closeReason).toBe('shutdown');
    expect(w.client.problems).toEqual([]);

    expect(await exited).toBe(0);
    expect(first.stderr()).toMatch(/"admin":"api@127\.0\.0\.1","action":"shutdown","grace_s":1/);

    // Same data dir: the same token file, every character where it stood.
    const second = await startServer({ dataDir });
    servers.push(second);
    const t2 = await telnetLogin(second.telnetPort, 'armitage');
    expect(t2.text).toContain(world.rooms.get(telnetRoom)!.name);
    const w2 = await wsEnter(second.wsUrl, 'wilmarth', { login: true });
    expect(w2.gameState.data.room.id).toBe(wsRoom);
    expect(await admin(second, 'who')).toMatch(/2 players online/);

    // SIGTERM: the players are told, and the exit code is 0 as well.
    const code = await second.stop('SIGTERM');
    expect(code).toBe(0);
    await t2.waitFor('The server is shutting down.');
    await t2.waitClosed();
    await w2.client.waitClosed();
  });
});

describe('SIGTERM with a grace period', () => {
  it('counts down to the players, refuses logins, then stops cleanly with exit 0; a second SIGTERM is not needed', { timeout: 60_000 }, async () => {
    const dir = tempDataDir();
    const server = await startServer({ dataDir: dir, env: { MYTHOS_SHUTDOWN_GRACE_S: '2' } });
    servers.push(server);
    const t = await telnetLogin(server.telnetPort, 'olmstead');
    server.proc.kill('SIGTERM');
    await t.waitFor('*** The server will shut down in 2 seconds. Your character will be saved. ***');
    expect(await loginRefused(server.telnetPort)).toMatch(/shutting down|no longer accepts/i);
    await t.waitFor('*** The server will shut down in 1 second. Your character will be saved. ***');
    await t.waitFor('*** The server is shutting down now. ***');
    await t.waitClosed();
    expect(await server.stop()).toBe(0);
    expect(server.stderr()).toMatch(/"signal":"SIGTERM","grace_s":2/);
    removeDir(dir);
  });
});
