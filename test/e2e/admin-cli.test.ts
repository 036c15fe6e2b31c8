// `mythos admin` end to end: the real server on port 0, the real command as a child process, and
// players on both doors seeing what the sysop does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayersAnswer, StatusAnswer } from '../../server/admin/schemas.js';
import { loadWorld } from '../../server/world/load.js';
import { admin, runAdmin, target } from './admin-run.js';
import { TelnetClient, removeDir, startServer, telnetLogin, type ServerProcess } from './harness.js';
import { WsClient, wsEnter } from './ws-client.js';

const world = loadWorld();
const [firstExit, firstTarget] = Object.entries(world.start.exits)[0]!;

let server: ServerProcess;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

describe('mythos admin: who, status, broadcast', () => {
  it('lists a telnet and a WebSocket player, and a broadcast reaches both', { timeout: 120_000 }, async () => {
    const t = await telnetLogin(server.telnetPort, 'armitage');
    const w = await wsEnter(server.wsUrl, 'wilmarth');

    const who = await admin(server, 'who');
    expect(who).toMatch(/^NAME\s+ROOM\s+DOOR\s+ADDRESS\s+STATUS\s+IDLE/);
    expect(who).toMatch(new RegExp(`Armitage\\s+${world.start.name}.*\\btelnet\\s+127\\.0\\.0\\.1\\s+online`));
    expect(who).toMatch(new RegExp(`Wilmarth\\s+${world.start.name}.*\\bws\\s+127\\.0\\.0\\.1\\s+online`));
    expect(who).toMatch(/2 players online/);

    const json = PlayersAnswer.parse(JSON.parse(await admin(server, 'who', '--json')));
    expect(json.players.map((p) => [p.name, p.door, p.room_id])).toEqual([
      ['Armitage', 'telnet', world.start.id],
      ['Wilmarth', 'ws', world.start.id],
    ]);

    const status = StatusAnswer.parse(JSON.parse(await admin(server, 'status', '--json')));
    expect(status.players_online).toBe(2);
    expect(status.connections.telnet).toBeGreaterThanOrEqual(1);
    expect(status.connections.ws).toBeGreaterThanOrEqual(1);
    expect(await admin(server, 'status')).toMatch(/players online\s+2/);

    expect(await admin(server, 'broadcast', 'The stars are right tonight.')).toMatch(/^Broadcast sent to 2 players\./);
    await t.waitFor('*** The stars are right tonight. ***');
    const heard = await w.client.waitForMessage('The stars are right tonight.');
    expect(heard.data).toMatchObject({ channel: 'broadcast', from: null, text: 'The stars are right tonight.' });
    expect(w.client.problems).toEqual([]);

    t.send('quit');
    await t.waitClosed();
    w.client.close();
  });
});

describe('mythos admin: kick', () => {
  it('disconnects a player whose character is saved where it stood', { timeout: 120_000 }, async () => {
    const c = await telnetLogin(server.telnetPort, 'dyer');
    c.send(firstExit);
    await c.waitFor(new RegExp(`${world.rooms.get(firstTarget)!.name}[\\s\\S]*Exits:`));

    expect(await admin(server, 'kick', 'dyer', '--reason', 'asking too many questions')).toMatch(/^Kicked Dyer\./);
    await c.waitFor('You have been removed from the game by an administrator: asking too many questions');
    await c.waitClosed();

    const again = await telnetLogin(server.telnetPort, 'dyer');
    expect(again.text).toContain(world.rooms.get(firstTarget)!.name);
    again.send('quit');
    await again.waitClosed();

    const missing = await runAdmin(['kick', 'nobody', ...target(server)]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toBe('mythos admin: no such player: Nobody\n');
  });
});

/** A WebSocket login of a banned account gets auth_error `banned`, telling them why. */
async function expectBannedOnWs(name: string, password: string): Promise<void> {
  const c = await WsClient.connect(server.wsUrl);
  c.send({ type: 'login', name, password });
  const refused = await c.waitFor('auth_error');
  expect(refused.data.reason).toBe('banned');
  expect(refused.data.message).toMatch(/You are banned from Arkham/);
  expect(c.frames.some((f) => f.event_type === 'auth_ok')).toBe(false);
  c.close();
}

describe('mythos admin: ban and unban', () => {
  it('a ban throws the player out and stops the next login on both doors; unban lets them in', { timeout: 120_000 }, async () => {
    const c = await telnetLogin(server.telnetPort, 'lake');
    expect(await admin(server, 'ban', 'lake', '--reason', 'digging at the Mountains of Madness')).toMatch(/^Banned Lake and removed them/);
    await c.waitFor('You have been banned from Arkham: digging at the Mountains of Madness');
    await c.waitClosed();

    const retry = await TelnetClient.connect(server.telnetPort);
    await retry.waitFor(/name/i);
    retry.send('lake');
    await retry.waitFor(/password/i);
    retry.send('secret-pass');
    await retry.waitFor('You are banned from Arkham: digging at the Mountains of Madness');
    await retry.waitClosed();

    await expectBannedOnWs('lake', 'secret-pass');

    expect(await admin(server, 'unban', 'lake')).toMatch(/^Unbanned Lake\./);
    const back = await telnetLogin(server.telnetPort, 'lake');
    back.send('quit');
    await back.waitClosed();
    expect(server.stderr()).toContain('banned player tried to log in');
  });

  it('bans a WebSocket player too: thrown out, refused at login, let back in after unban', { timeout: 120_000 }, async () => {
    const first = await wsEnter(server.wsUrl, 'pickman');
    await admin(server, 'ban', 'pickman');
    await first.client.waitForMessage('You have been banned from Arkham.');
    await first.client.waitClosed();
    await expectBannedOnWs('pickman', 'secret-pass');
    await admin(server, 'unban', 'pickman');
    const third = await wsEnter(server.wsUrl, 'pickman', { login: true });
    expect(third.authOk.data.player.name).toBe('Pickman');
    third.client.close();
  });
});

describe('mythos admin: accounts', () => {
  it('creates an account that can log in; role makes an admin whose @kick works, while a player gets "Huh?"', { timeout: 180_000 }, async () => {
    const created = await runAdmin(['accounts', 'create', 'pabodie', '--password-stdin', ...target(server)], { input: 'antarctic\n' });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe('Created Pabodie (player).\n');
    const taken = await runAdmin(['accounts', 'create', 'Pabodie', '--password-stdin', ...target(server)], { input: 'whatever1\n' });
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toMatch(/^mythos admin: the name Pabodie is taken\n$/);

    const p = await telnetLogin(server.telnetPort, 'pabodie', 'antarctic');
    const d = await telnetLogin(server.telnetPort, 'danforth');
    p.send('@kick danforth');
    await p.waitFor('Huh? "@kick" is not a command here. Type "help" for the list.');

    expect(await admin(server, 'accounts', 'role', 'pabodie', 'admin')).toMatch(/^Pabodie is now an admin\./);
    await p.waitFor('You are now an administrator.');
    p.send('@kick danforth');
    await p.waitFor('Kicked Danforth.');
    await d.waitFor('You have been removed from the game by an administrator.');
    await d.waitClosed();

    // Danforth, a plain player, gets the very same answer for an admin command as for nonsense.
    const d2 = await telnetLogin(server.telnetPort, 'danforth');
    d2.send('@kick pabodie');
    await d2.waitFor('Huh? "@kick" is not a command here. Type "help" for the list.');
    d2.send('quit');
    await d2.waitClosed();

    const list = await admin(server, 'accounts', 'list');
    expect(list).toMatch(/^NAME\s+ROLE\s+ONLINE/);
    expect(list).toMatch(/Pabodie\s+admin\s+online/);
    expect(list).toMatch(/Danforth\s+player/);

    const passwd = await runAdmin(['accounts', 'passwd', 'pabodie', '--password-stdin', ...target(server)], { input: 'elder-things\n' });
    expect(passwd.code, passwd.stderr).toBe(0);
    p.send('quit');
    await p.waitClosed();
    const relogin = await telnetLogin(server.telnetPort, 'pabodie', 'elder-things');
    relogin.send('quit');
    await relogin.waitClosed();
  });
});

describe('mythos admin: the token', () => {
  it('a wrong token exits non-zero with one line, and the raw request gets 401', { timeout: 120_000 }, async () => {
    const wrong = await runAdmin(['who', '--url', server.httpUrl, '--token', 'not-the-token']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toBe('mythos admin: wrong admin token\n');
    expect(wrong.stdout).toBe('');

    const none = await fetch(`${server.httpUrl}/admin/players`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'unauthorized', message: 'missing or wrong admin token' });
    const bad = await fetch(`${server.httpUrl}/admin/players`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(bad.status).toBe(401);
    expect(server.stderr()).toMatch(/"addr":"127\.0\.0\.1".*admin: missing or wrong token/);

    // The token from the environment works as well as the one from --data-dir.
    const { readFileSync } = await import('node:fs');
    const token = readFileSync(`${server.dataDir}/admin.token`, 'utf8').trim();
    const viaEnv = await runAdmin(['who', '--url', server.httpUrl], { env: { MYTHOS_ADMIN_TOKEN: token } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
  });

  it('says so when no server is listening', { timeout: 60_000 }, async () => {
    const { createServer } = await import('node:net');
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const r = await runAdmin(['status', '--url', `http://127.0.0.1:${port}`, '--token', 'x']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe(`mythos admin: server not running at http://127.0.0.1:${port}\n`);
  });
});

describe('mythos admin: finding the server', () => {
  it('from --data-dir alone, whatever port the server took; the file goes with a clean stop', { timeout: 120_000 }, async () => {
    const { statSync, existsSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const own = await startServer();
    try {
      const file = join(own.dataDir, 'server.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ admin_url: own.httpUrl, websocket_url: own.wsUrl, pid: own.proc.pid });
      // No --url: the port (not the default 4001) comes from DATA_DIR/server.json.
      const r = await runAdmin(['status', '--data-dir', own.dataDir]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/players online\s+0/);
      // --url still wins.
      const elsewhere = await runAdmin(['status', '--data-dir', own.dataDir, '--url', 'http://127.0.0.1:9']);
      expect(elsewhere.stderr).toBe('mythos admin: server not running at http://127.0.0.1:9\n');
      expect(await own.stop()).toBe(0);
      expect(existsSync(file)).toBe(false);
    } finally {
      await own.stop();
      removeDir(own.dataDir);
    }
  });
});
