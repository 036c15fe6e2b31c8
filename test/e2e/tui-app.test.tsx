// End to end: the TUI app (rendered with ink-testing-library, its real WebSocket client) against
// the real server on port 0, with a telnet player beside it. Then the server is stopped and
// started again on the same port and data dir, and the TUI must find its way back by itself.
import { cleanup } from 'ink-testing-library';
import { afterAll, describe, expect, it } from 'vitest';
import type { MythosClient } from '../../cli/tui/client.js';
import { removeDir, startServer, telnetLogin, type ServerProcess, type TelnetClient } from './harness.js';
import { renderTui, tick } from './tui-render.js';

/** The panel's rows: what is right of its border on each line of the frame. */
function panel(frame: string): string {
  return frame
    .split('\n')
    .map((l) => (l.includes('│') ? l.slice(l.indexOf('│') + 1).trim() : ''))
    .join('\n');
}

describe('the TUI against the real server', () => {
  let server: ServerProcess | null = null;
  let dataDir = '';
  const telnets: TelnetClient[] = [];
  let client: MythosClient | null = null;

  afterAll(async () => {
    client?.close();
    cleanup();
    for (const t of telnets) t.close();
    await server?.stop();
    if (dataDir) removeDir(dataDir);
  });

  it('logs in, shows the room live, talks with a telnet player, and reconnects after a restart', async () => {
    server = await startServer();
    dataDir = server.dataDir;
    const wsPort = server.wsPort;
    let exited = false;
    const t = renderTui(server.wsUrl, { onExit: () => (exited = true) });
    client = t.client;
    const { waitFor, type, frame } = t;
    await tick();

    // A new character: name, password, the offer to create it, the password again.
    await waitFor((f) => f.includes('What is your name') && f.includes('Connected to'), 'the login screen, connected');
    await type('armitage\r');
    await waitFor((f) => f.includes('Password:'), 'the password question');
    await type('secret-pass\r');
    await waitFor((f) => /Create it\? \(y\/n\)/.test(f), 'the offer to create Armitage');
    await type('y\r');
    await waitFor((f) => f.includes('Type the same password again'), 'the second password');
    await type('secret-pass\r');
    await waitFor((f) => panel(f).includes('Armitage (you)') && f.includes('Independence Square'), 'the game screen');
    await waitFor((f) => /\[connected\]\s+Armitage\s+rtt \d+ ms/.test(f), 'the status line with a round trip');

    // A telnet player logs in, walks out and back in, and talks.
    const wilmarth = await telnetLogin(server.telnetPort, 'wilmarth');
    telnets.push(wilmarth);
    await waitFor((f) => panel(f).includes('Wilmarth'), 'Wilmarth in the panel');
    wilmarth.send('north');
    await waitFor((f) => !panel(f).includes('Wilmarth') && f.includes('Wilmarth leaves north.'), 'Wilmarth gone from the panel');
    wilmarth.send('south');
    await waitFor((f) => panel(f).includes('Wilmarth') && f.includes('Wilmarth arrives from the north.'), 'Wilmarth back in the panel');
    wilmarth.send('say The stars are right tonight.');
    await waitFor((f) => f.includes('Wilmarth says, "The stars are right tonight."'), 'the telnet say in the terminal');

    // The TUI's say reaches the telnet player.
    await type('say Then we must hurry.\r');
    await wilmarth.waitFor('Armitage says, "Then we must hurry."');
    await waitFor((f) => f.includes('You say, "Then we must hurry."'), 'our own say');

    // Stop the server; start it again on the same port with the same data.
    await server.stop();
    await waitFor((f) => /\[(reconnecting in \d+ s|reconnecting now\.\.\.)\]/.test(f), 'reconnecting on the status line');
    expect(frame()).toMatch(/Connection lost/);
    server = await startServer({ dataDir, args: ['--ws-port', String(wsPort)] });
    expect(server.wsPort).toBe(wsPort);
    await waitFor((f) => f.includes('Reconnected.') && /\[connected\]/.test(f), 'reconnected', 30_000);
    await waitFor((f) => panel(f).includes('Armitage (you)') && panel(f).includes('Independence Square'), 'back in the room');

    // And it plays: a new telnet player hears the TUI.
    const dyer = await telnetLogin(server.telnetPort, 'dyer');
    telnets.push(dyer);
    await waitFor((f) => panel(f).includes('Dyer'), 'Dyer in the panel after the restart');
    await type('say Welcome back.\r');
    await dyer.waitFor('Armitage says, "Welcome back."');

    // /quit: the server hears `quit`, and the app exits.
    await type('/quit\r');
    await dyer.waitFor('Armitage has left the game.');
    for (let i = 0; i < 200 && !exited; i++) await tick(20);
    expect(exited).toBe(true);
  }, 120_000);
});

describe('the TUI resumes a dropped link', () => {
  let server: ServerProcess | null = null;
  let client: MythosClient | null = null;
  const telnets: TelnetClient[] = [];

  afterAll(async () => {
    client?.close();
    cleanup();
    for (const t of telnets) t.close();
    await server?.stop();
    if (server) removeDir(server.dataDir);
  });

  it('resumes the same session and shows what was said while the link was down', async () => {
    server = await startServer();
    // A long first backoff: the telnet player speaks while the TUI is surely away.
    const t = renderTui(server.wsUrl, { client: { backoff: { initialMs: 3000, maxMs: 3000 } }, name: 'armitage', password: 'secret-pass' });
    client = t.client;
    const { store, ink, frame, waitFor } = t;
    await tick();
    // --name and MYTHOS_PASSWORD: straight to the offer to create the character.
    await waitFor((f) => /Create it\? \(y\/n\)/.test(f), 'the offer to create');
    ink.stdin.write('y\r');
    await waitFor((f) => panel(f).includes('Armitage (you)'), 'the game');
    const wilmarth = await telnetLogin(server.telnetPort, 'wilmarth');
    telnets.push(wilmarth);
    await waitFor((f) => panel(f).includes('Wilmarth'), 'Wilmarth in the panel');

    client.reconnectNow();
    await wilmarth.waitFor('Armitage has lost their link.');
    wilmarth.send('say You missed this.');
    await wilmarth.waitFor('You say, "You missed this."');
    await waitFor((f) => f.includes('Wilmarth says, "You missed this."'), 'the missed line, replayed', 30_000);
    await waitFor((f) => f.includes('Reconnected.') && /\[connected\]/.test(f), 'reconnected');
    // A resume, not a new login: one welcome only, and the server says so.
    expect(store.getState().lines.filter((l) => l.text === 'Welcome to Arkham, Armitage.')).toHaveLength(1);
    expect(server.stderr()).toMatch(/"resumed"/);
    await wilmarth.waitFor('Armitage is back.');
  }, 120_000);
});

