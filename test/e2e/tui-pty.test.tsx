// End to end in a real terminal: the real `mythos` command (Ink, raw keys, the alternate screen)
// in a pseudo-terminal of 120x40, against the real server. Node has no pty of its own, so a few
// lines of python3 (present wherever better-sqlite3 builds) hold the pty and relay the bytes.
// CI=false: Ink draws nothing until exit when CI is set, and CI sets it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { MYTHOS, ROOT, removeDir, startServer, telnetLogin, type ServerProcess, type TelnetClient } from './harness.js';

const PTY_RELAY = `
import os, pty, sys, select, struct, fcntl, termios
cols, rows = int(sys.argv[1]), int(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    os.execvp(sys.argv[3], sys.argv[3:])
stdin = sys.stdin.fileno()
while True:
    try:
        ready, _, _ = select.select([fd, stdin], [], [])
    except InterruptedError:
        continue
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
    if stdin in ready:
        data = os.read(stdin, 65536)
        if data:
            os.write(fd, data)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasPython)('mythos in a real terminal', () => {
  let server: ServerProcess;
  let tui: ChildProcess | null = null;
  const telnets: TelnetClient[] = [];

  afterAll(async () => {
    tui?.kill('SIGKILL');
    for (const t of telnets) t.close();
    await server?.stop();
    if (server) removeDir(server.dataDir);
  });

  it('draws the game with the panel, plays, and Ctrl+C quits cleanly with exit code 0', async () => {
    server = await startServer();
    tui = spawn('python3', ['-c', PTY_RELAY, '120', '40', process.execPath, MYTHOS, '--url', server.wsUrl, '--name', 'armitage'], {
      cwd: ROOT,
      env: { ...process.env, CI: 'false', MYTHOS_PASSWORD: 'secret-pass', TERM: 'xterm-256color' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let raw = '';
    tui.stdout!.on('data', (d: Buffer) => (raw += d.toString('utf8')));
    tui.stderr!.on('data', (d: Buffer) => (raw += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => tui!.once('exit', (code) => resolve(code)));
    let seen = 0;
    const waitFor = async (text: string, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = stripVTControlCharacters(raw);
        const at = screen.indexOf(text, seen);
        if (at >= 0) {
          seen = at;
          return;
        }
        if (tui!.exitCode !== null) throw new Error(`mythos exited before "${text}":\n${screen.slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${screen.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    await waitFor('Create it? (y/n)');
    expect(raw).toContain('\x1b[?1049h'); // the alternate screen: the shell comes back as it was
    tui.stdin!.write('y\r');
    await waitFor('In this room');
    await waitFor('Armitage (you)');

    const wilmarth = await telnetLogin(server.telnetPort, 'wilmarth');
    telnets.push(wilmarth);
    await waitFor('Wilmarth has entered the game.');
    wilmarth.send('say Anyone awake?');
    await waitFor('Wilmarth says, "Anyone awake?"');
    tui.stdin!.write('say Always, in Arkham.\r');
    await wilmarth.waitFor('Armitage says, "Always, in Arkham."');

    tui.stdin!.write('\x03'); // Ctrl+C
    expect(await exited).toBe(0);
    await wilmarth.waitFor('Armitage has left the game.');
    expect(raw.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(raw.lastIndexOf('\x1b[?1049h'));
  }, 120_000);
});
