// The game remembers: a character is where it last stood after a graceful stop (SIGTERM) and after
// a crash (SIGKILL right after a move the player saw acknowledged), on the same data dir.
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, startServer, telnetLogin, tempDataDir, type ServerProcess } from './harness.js';

/** A room view and the prompt after it: the player's acknowledgement that a move happened. */
const view = (room: string) =>
  new RegExp(`^(?:> )?${room.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n[^\\n]+\\nExits:[^\\n]*\\n(?:Also here:[^\\n]*\\n)?> `, 'm');
const ANY_VIEW = /^(?:> )?([^\n]+)\n[^\n]+\nExits:[^\n]*\n(?:Also here:[^\n]*\n)?> /m;

const running: ServerProcess[] = [];
const dirs: string[] = [];

async function start(dataDir: string): Promise<ServerProcess> {
  const s = await startServer({ dataDir });
  running.push(s);
  return s;
}

afterEach(async () => {
  for (const s of running.splice(0)) await s.stop('SIGKILL');
  for (const d of dirs.splice(0)) removeDir(d);
});

describe('telnet: persistence across restarts', () => {
  it('SIGTERM: players are told, the server exits 0, and a character comes back where it stood', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    let server = await start(dataDir);
    const p = await telnetLogin(server.telnetPort, 'dyer');
    p.send('north');
    await p.waitFor(view('Garrison Street'));
    p.send('east');
    await p.waitFor(view('Arkham Advertiser Office'));

    expect(await server.stop('SIGTERM')).toBe(0);
    await p.waitClosed();
    expect(p.text).toMatch(/shutting down/i);

    server = await start(dataDir);
    const again = await telnetLogin(server.telnetPort, 'dyer');
    // Logging in to an existing character asks for the password only: the account survived too.
    expect(again.text).not.toMatch(/\(y\/n\)/);
    expect(again.text).toMatch(view('Arkham Advertiser Office'));
    again.send('west');
    await again.waitFor(view('Garrison Street'));
    again.close();
  });

  it('SIGKILL right after an acknowledged move loses nothing', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    let server = await start(dataDir);
    const p = await telnetLogin(server.telnetPort, 'lake');
    p.send('south');
    await p.waitFor(ANY_VIEW);
    p.send('north');
    await p.waitFor(view('Independence Square'));
    p.send('west');
    const m = await p.waitFor(ANY_VIEW);
    const room = m[1]!;
    expect(room).not.toBe('Independence Square');
    await server.stop('SIGKILL'); // kill -9: no shutdown code runs
    expect(server.proc.signalCode).toBe('SIGKILL');
    await p.waitClosed();

    server = await start(dataDir);
    const again = await telnetLogin(server.telnetPort, 'lake');
    expect(again.text).toMatch(view(room));
    again.close();
  });
});
