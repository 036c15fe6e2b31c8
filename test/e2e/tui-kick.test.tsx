// End to end: the TUI (its real WebSocket client) against the real server, sent away the ways a
// server sends a player away: a takeover from telnet, a sysop's kick, too many wrong passwords.
// Each time the player is told once, sees why on the status line, and knows what to do next.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MythosClient } from '../../cli/tui/client.js';
import { removeDir, startServer, telnetLogin, type ServerProcess } from './harness.js';
import { renderTui, tick } from './tui-render.js';

let server: ServerProcess;
const clients: MythosClient[] = [];
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  for (const c of clients) c.close();
  cleanup();
  await server.stop();
  removeDir(server.dataDir);
});

function tui() {
  const t = renderTui(server.wsUrl);
  clients.push(t.client);
  return t;
}

const panelHasMe = (f: string, name: string) => f.includes(`${name} (you)`);
const count = (f: string, s: string) => f.split(s).length - 1;

describe('the TUI, sent away', () => {
  it('taken over, then kicked: one notice each, the reason on the status line, Enter logs back in', async () => {
    const t = tui();
    await tick();
    await t.waitFor((f) => f.includes('What is your name') && f.includes('Connected to'), 'the login screen');
    await t.type('dexter\r');
    await t.waitFor((f) => f.includes('Password:'), 'the password question');
    await t.type('secret-pass\r');
    await t.waitFor((f) => /Create it\? \(y\/n\)/.test(f), 'the offer');
    await t.type('y\r');
    await t.waitFor((f) => f.includes('Type the same password again'), 'the second password');
    await t.type('secret-pass\r');
    await t.waitFor((f) => panelHasMe(f, 'Dexter'), 'the game');

    // The same character logs in by telnet: the TUI is displaced, and stays put until asked.
    const telnet = await telnetLogin(server.telnetPort, 'dexter');
    let f = await t.waitFor((fr) => fr.includes('[offline: your character logged in from elsewhere]'), 'offline after the takeover');
    expect(count(f, 'logged in as you from elsewhere')).toBe(1);
    expect(f).toContain('Press Enter (or type /reconnect) to log in again');
    expect(panelHasMe(f, 'Dexter')).toBe(false);
    await tick(500);
    expect(t.client.status.state).toBe('offline'); // no reconnect by itself

    // Enter takes the character back; the telnet session is the one told now.
    await t.type('\r');
    await t.waitFor((fr) => panelHasMe(fr, 'Dexter') && /\[connected\]/.test(fr), 'back in the game');
    await telnet.waitFor('logged in as you from elsewhere');

    // A sysop kicks the player, with a reason.
    const token = readFileSync(join(server.dataDir, 'admin.token'), 'utf8').trim();
    const kick = await fetch(`${server.httpUrl}/admin/kick`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'dexter', reason: 'testing the door' }),
    });
    expect(kick.status).toBe(200);
    f = await t.waitFor((fr) => fr.includes('[offline: removed by an administrator]'), 'offline after the kick');
    expect(count(f, 'removed from the game by an administrator: testing the door')).toBe(1);
    await t.type('\r');
    await t.waitFor((fr) => panelHasMe(fr, 'Dexter') && /\[connected\]/.test(fr), 'back after the kick');
    telnet.close();
  });

  it("wrong passwords: it stops at the server's limit with the server's words, and Enter starts over", async () => {
    const t = tui();
    await tick();
    await t.waitFor((f) => f.includes('What is your name') && f.includes('Connected to'), 'the login screen');
    await t.type('dexter\r');
    for (let i = 0; i < 3; i++) {
      await t.waitFor((f) => f.includes('Password:'), 'the password question');
      await t.type(`wrong-${i}\r`);
      if (i < 2) await t.waitFor((f) => f.includes('Wrong password. Try again.'), 'wrong password');
    }
    const f = await t.waitFor((fr) => fr.includes('Too many wrong passwords. Goodbye.'), "the server's reason");
    expect(f).toContain('Enter to start again, Ctrl+C to leave.');
    expect(f).not.toContain('Password:');
    await tick(600);
    expect(t.client.status.state).toBe('offline'); // not retried without end
    await t.type('\r');
    await t.waitFor((fr) => fr.includes('What is your name') && fr.includes('Connected to'), 'a fresh login');
  });
});
