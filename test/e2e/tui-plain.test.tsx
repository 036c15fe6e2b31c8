// End to end: the real `mythos --plain` process, piped like a script or a screen reader's
// terminal would use it, against the real server, with a telnet player in the same room.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { MYTHOS, ROOT, removeDir, startServer, telnetLogin, type ServerProcess, type TelnetClient } from './harness.js';

class PlainProcess {
  readonly proc: ChildProcess;
  out = '';
  err = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>) {
    this.proc = spawn(process.execPath, [MYTHOS, '--plain', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.proc.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
    this.exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
  }

  async waitFor(text: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.out.includes(text)) {
      if (this.proc.exitCode !== null) throw new Error(`mythos exited (${this.proc.exitCode}) before "${text}"; output:\n${this.out}\n${this.err}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}"; output:\n${this.out}\n${this.err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  send(line: string): void {
    this.proc.stdin!.write(`${line}\n`);
  }
}

describe('mythos --plain against the real server', () => {
  let server: ServerProcess;
  const procs: PlainProcess[] = [];
  const telnets: TelnetClient[] = [];

  afterAll(async () => {
    for (const p of procs) p.proc.kill();
    for (const t of telnets) t.close();
    await server?.stop();
    if (server) removeDir(server.dataDir);
  });

  it('creates a character, prints one plain line per event, talks, and quits at the end of input', async () => {
    server = await startServer();
    const lake = new PlainProcess(['--url', server.wsUrl, '--name', 'lake'], { MYTHOS_PASSWORD: 'secret-pass', CI: 'true' });
    procs.push(lake);
    await lake.waitFor('There is no character called Lake yet. Create it? (y/n)');
    lake.send('y');
    await lake.waitFor('Exits: north, south, east, west.');
    expect(lake.out).toContain('\nIndependence Square\n');

    const wilmarth = await telnetLogin(server.telnetPort, 'wilmarth');
    telnets.push(wilmarth);
    await lake.waitFor('Wilmarth has entered the game.');
    wilmarth.send('say Who goes there?');
    await lake.waitFor('Wilmarth says, "Who goes there?"');
    lake.send('say Only a geologist.');
    await wilmarth.waitFor('Lake says, "Only a geologist."');

    lake.proc.stdin!.end();
    expect(await lake.exited).toBe(0);
    await wilmarth.waitFor('Lake has left the game.');
    // Plain means plain: no colour codes, no cursor movement.
    expect(lake.out).not.toMatch(/\x1b\[/);
  }, 60_000);

  it('says the server is unreachable, in words, and gives up when nobody is there to type', async () => {
    const p = new PlainProcess(['--url', 'ws://127.0.0.1:1/ws', '--name', 'lake'], { MYTHOS_PASSWORD: 'secret-pass' });
    procs.push(p);
    p.proc.stdin!.end();
    await p.waitFor('Cannot reach the server: nothing is listening at ws://127.0.0.1:1/ws (connection refused)');
    expect(await p.exited).toBe(1);
  }, 60_000);
});
