import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { envelope, entered, gameState, authOk, left, ME, said, SQUARE, STREET } from './fixtures.js';
import { KEY, renderApp, tick } from './render.js';

afterEach(() => cleanup());

async function inGame(opts: Parameters<typeof renderApp>[0] = {}) {
  const app = renderApp({ name: 'armitage', password: 'secret-pass', ...opts });
  await tick();
  app.conn.status({ state: 'connected' });
  app.conn.emit(authOk());
  app.conn.emit(gameState([{ id: 'p_w', name: 'Wilmarth' }]));
  await app.waitFor((f) => f.includes('Exits: north, south.') && f.includes('[connected]'), 'the game screen');
  return app;
}

/** The terminal's rows: what is left of the panel's border on each line. */
function terminal(frame: string): string {
  return frame
    .split('\n')
    .map((l) => (l.includes('│') ? l.slice(0, l.indexOf('│')) : l).trimEnd())
    .join('\n');
}

/** The panel's rows: what is right of the panel's border on each line. */
function panel(frame: string): string {
  return frame
    .split('\n')
    .map((l) => (l.includes('│') ? l.slice(l.indexOf('│') + 1).trim() : ''))
    .filter(Boolean)
    .join('\n');
}

describe('login screen', () => {
  it('asks the name, hides the password, offers to create a new character, asks the password twice', async () => {
    const app = renderApp();
    await tick();
    await app.waitFor((f) => /What is your name/.test(f), 'the name question');
    await app.type('wilmarth');
    await app.press(KEY.enter);
    await app.waitFor((f) => f.includes('Password:'), 'the password question');
    await app.type('secret-pass');
    const masked = app.frame();
    expect(masked).toContain('***********');
    expect(masked).not.toContain('secret-pass');
    await app.press(KEY.enter);
    expect(app.conn.auths).toEqual([{ kind: 'login', name: 'wilmarth', password: 'secret-pass' }]);
    await app.waitFor((f) => f.includes('Logging in as Wilmarth'), 'the waiting line');
    app.conn.emit(envelope('auth_error', { reason: 'unknown_name', message: 'No such character.' }), 'unknown_name');
    await app.waitFor((f) => /no character called Wilmarth yet\. Create it\? \(y\/n\)/i.test(f), 'the offer to create');
    await app.type('y');
    await app.press(KEY.enter);
    await app.waitFor((f) => f.includes('Type the same password again'), 'the repeat question');
    await app.type('secret-pass');
    await app.press(KEY.enter);
    expect(app.conn.auths.at(-1)).toEqual({ kind: 'register', name: 'wilmarth', password: 'secret-pass' });
  });

  it('says wrong password, banned and unreachable in plain words', async () => {
    const app = renderApp({ name: 'armitage' });
    await tick();
    app.conn.status({ state: 'reconnecting', retryAt: Date.now() + 3000, attempt: 1, reason: 'nothing is listening at ws://127.0.0.1:4001/ws (connection refused)' });
    await app.waitFor((f) => /Cannot reach the server: nothing is listening[\s\S]*Trying again in \d s/.test(f), 'unreachable');
    await app.type('bad-pass\r');
    app.conn.emit(envelope('auth_error', { reason: 'bad_password', message: 'Wrong password.' }), 'bad_password');
    await app.waitFor((f) => f.includes('Wrong password. Try again.'), 'wrong password');
    await app.type('secret-pass\r');
    app.conn.emit(envelope('auth_error', { reason: 'banned', message: 'You are banned from Arkham: rudeness.' }), 'banned');
    await app.waitFor((f) => f.includes('You are banned from Arkham: rudeness.'), 'banned');
  });
});

describe('game screen', () => {
  it('Enter sends what was typed as a command and echoes it', async () => {
    const app = await inGame();
    await app.type('look');
    await app.waitFor((f) => f.includes('> look'), 'the typed text');
    await app.press(KEY.enter);
    expect(app.conn.commands).toEqual(['look']);
    await app.waitFor((f) => /^> look/m.test(f) && /^>\s*$/m.test(f), 'the echo and an empty input line');
  });

  it('a paste with line ends in one chunk sends each line', async () => {
    const app = await inGame();
    await tick();
    app.stdin.write('north\rsay hi\r');
    await tick();
    expect(app.conn.commands).toEqual(['north', 'say hi']);
  });

  it('edits with left, home, end, backspace and Ctrl+U', async () => {
    const app = await inGame();
    await app.type('sy hello');
    await app.press(KEY.home);
    await app.press(KEY.right);
    await app.type('a');
    await app.press(KEY.end);
    await app.press(KEY.backspace);
    await app.press(KEY.enter);
    expect(app.conn.commands).toEqual(['say hell']);
    await app.type('garbage');
    await app.press(KEY.ctrlU);
    await app.type('who');
    await app.press(KEY.enter);
    expect(app.conn.commands).toEqual(['say hell', 'who']);
  });

  it('up and down walk the history', async () => {
    const app = await inGame();
    await app.type('look\r');
    await app.type('north\r');
    await app.press(KEY.up);
    await app.waitFor((f) => /^> north/m.test(f.split('\n').at(-2)!), 'north from history');
    await app.press(KEY.up);
    await app.waitFor((f) => /^> look/m.test(f.split('\n').at(-2)!), 'look from history');
    await app.press(KEY.down);
    await app.press(KEY.enter);
    expect(app.conn.commands).toEqual(['look', 'north', 'north']);
  });

  it('PgUp scrolls back with a marker counting new lines; PgDn comes back', async () => {
    const app = await inGame();
    for (let i = 1; i <= 60; i++) app.conn.emit(envelope('command_output', { text: `line number ${i}` }));
    await app.waitFor((f) => f.includes('line number 60'), 'the last line');
    await app.press(KEY.pageUp);
    let f = await app.waitFor((fr) => fr.includes('scrolled back'), 'the marker');
    expect(f).not.toContain('line number 60');
    expect(f).toContain('0 new lines');
    app.conn.emit(said('p_w', 'Wilmarth', 'are you there?'));
    f = await app.waitFor((fr) => fr.includes('1 new line '), 'the count of new lines');
    expect(f).not.toContain('are you there?');
    await app.press(KEY.pageUp);
    // Page by page back down: the view stays scrolled until the newest line is on screen.
    for (let i = 0; i < 10 && app.frame().includes('scrolled back'); i++) {
      await app.press(KEY.pageDown);
      await tick(20);
    }
    f = await app.waitFor((fr) => !fr.includes('scrolled back'), 'back at the bottom');
    expect(f).toContain('Wilmarth says, "are you there?"');
    await app.press(KEY.pageUp);
    await app.waitFor((fr) => fr.includes('scrolled back'), 'scrolled again');
    await app.press(KEY.escape);
    await app.waitFor((fr) => !fr.includes('scrolled back'), 'Esc back at the bottom');
  });

  it('the panel follows entered, left, presence, room_occupants, game_state and room_update', async () => {
    const app = await inGame();
    expect(panel(app.frame())).toMatch(/Independence Square[\s\S]*Exits: north, south[\s\S]*In this room\nArmitage \(you\)\nWilmarth/);
    app.conn.emit(entered('p_d', 'Dyer'));
    await app.waitFor((f) => panel(f).includes('Dyer'), 'Dyer arrives');
    app.conn.emit(envelope('presence', { player_id: 'p_d', player_name: 'Dyer', status: 'away', message: 'Dyer is away.' }, { room_id: SQUARE.id }));
    await app.waitFor((f) => panel(f).includes('Dyer (away)'), 'Dyer away');
    app.conn.emit(envelope('presence', { player_id: 'p_w', player_name: 'Wilmarth', status: 'busy', message: 'Wilmarth is busy.' }, { room_id: SQUARE.id }));
    await app.waitFor((f) => panel(f).includes('Wilmarth (busy)'), 'Wilmarth busy');
    app.conn.emit(envelope('presence', { player_id: 'p_w', player_name: 'Wilmarth', status: 'linkdead', message: 'Wilmarth has lost their link.' }, { room_id: SQUARE.id }));
    await app.waitFor((f) => panel(f).includes('Wilmarth (link-dead)'), 'Wilmarth link-dead');
    app.conn.emit(left('p_d', 'Dyer'));
    await app.waitFor((f) => !panel(f).includes('Dyer'), 'Dyer leaves');
    app.conn.emit(envelope('room_occupants', { room_id: SQUARE.id, occupants: [{ id: ME.id, name: ME.name, status: 'online' }, { id: 'p_l', name: 'Lake', status: 'online' }], count: 2 }, { room_id: SQUARE.id }));
    await app.waitFor((f) => panel(f).includes('Lake') && !panel(f).includes('Wilmarth'), 'the list replaced');
    app.conn.emit(envelope('room_update', { room: STREET, occupants: [{ id: ME.id, name: ME.name, status: 'online' }], message: 'Garrison Street' }, { room_id: STREET.id, player_id: ME.id }));
    await app.waitFor((f) => panel(f).includes('Garrison Street') && panel(f).includes('Exits: south') && !panel(f).includes('Lake'), 'the new room');
    app.conn.emit(gameState([{ id: 'p_a', name: 'Asenath' }]));
    await app.waitFor((f) => panel(f).includes('Independence Square') && panel(f).includes('Asenath'), 'a fresh game_state');
  });

  it('hides the panel below 80 columns and reflows on resize', async () => {
    const long = 'The wind off the Miskatonic carries a smell of brine and something older, something that does not belong to any sea.';
    const app = await inGame({ size: { columns: 60, rows: 20 } });
    app.conn.emit(envelope('command_output', { text: long }));
    let f = await app.waitFor((fr) => fr.includes('The wind off'), 'the long line');
    expect(f).not.toContain('In this room');
    for (const line of f.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(f.replace(/\s+/g, ' ')).toContain(long);
    app.resize({ columns: 120, rows: 30 });
    f = await app.waitFor((fr) => fr.includes('In this room'), 'the panel back');
    for (const line of f.split('\n')) expect(line.length).toBeLessThanOrEqual(120);
    app.resize({ columns: 40, rows: 12 });
    f = await app.waitFor((fr) => !fr.includes('In this room'), 'a very narrow terminal');
    for (const line of f.split('\n')) expect(line.length).toBeLessThanOrEqual(40);
  });

  it('the status line shows the connection, the name and the round trip', async () => {
    const app = await inGame();
    app.conn.rtt(23.4);
    await app.waitFor((f) => /\[connected\]\s+Armitage\s+rtt 23 ms/.test(f), 'connected with rtt');
    app.conn.status({ state: 'reconnecting', retryAt: Date.now() + 4000, attempt: 1, reason: 'the connection dropped' });
    await app.waitFor((f) => /\[reconnecting in [1-4] s\]/.test(f) && f.includes('Connection lost: the connection dropped'), 'reconnecting');
    app.conn.status({ state: 'offline', reason: 'You have been removed from the game.' });
    await app.waitFor((f) => f.includes('[offline: You have been removed from the game.]'), 'offline');
  });

  it('/help, /clear and an unknown local command stay local', async () => {
    const app = await inGame();
    await app.type('/help\r');
    await app.waitFor((f) => f.includes('Local commands: /help'), 'the help');
    await app.type('/clear\r');
    await app.waitFor((f) => !terminal(f).includes('Local commands') && !terminal(f).includes('Independence Square'), 'a cleared terminal');
    await app.type('/frobnicate\r');
    await app.waitFor((f) => f.includes('There is no local command /frobnicate'), 'unknown');
    expect(app.conn.commands).toEqual([]);
  });

  it('kicked: one notice, the panel cleared, the status says why, and Enter logs in again', async () => {
    const app = await inGame();
    await app.waitFor((f) => f.includes('In this room') && f.includes('Armitage'), 'the panel');
    const notice = 'You have been removed from the game by an administrator: spamming';
    app.conn.emit(envelope('message', { channel: 'system', from: null, text: notice, message: notice }));
    app.conn.status({ state: 'offline', reason: 'removed by an administrator', notice, rejoin: true });
    const f = await app.waitFor((fr) => fr.includes('[offline: removed by an administrator]') && fr.includes('Press Enter'), 'offline');
    expect(f.split(notice).length - 1).toBe(1); // said once
    expect(f).toContain('Nowhere yet'); // the panel names no room
    expect(f).not.toMatch(/Armitage \(you\)/);
    await app.type('look\r');
    await app.waitFor((fr) => fr.includes('Not in the game: that was not sent'), 'refused while out');
    expect(app.conn.commands).toEqual([]);
    await app.type('\r');
    await app.waitFor((fr) => fr.includes('Logging in again'), 'logging in again');
    expect(app.conn.reconnects).toBe(1);
  });

  it('banned: no offer to log in again', async () => {
    const app = await inGame();
    app.conn.emit(envelope('message', { channel: 'system', from: null, text: 'You have been banned from Arkham.', message: 'x' }));
    app.conn.status({ state: 'offline', reason: 'banned from the game', notice: 'You have been banned from Arkham.', rejoin: false });
    const f = await app.waitFor((fr) => fr.includes('[offline: banned from the game]'), 'offline');
    expect(f).not.toContain('Press Enter');
    await app.type('\r');
    await tick(20);
    expect(app.conn.reconnects).toBe(0);
  });

  it('a pasted line over the limit is refused in the input line, kept, and not sent', async () => {
    const app = await inGame();
    await app.type('say ' + 'x'.repeat(5000));
    await app.type('\r');
    await app.waitFor((f) => f.includes('That line is 5004 bytes; a line is at most 4096. It was not sent'), 'the refusal');
    expect(app.conn.commands).toEqual([]);
    await app.type(KEY.ctrlU);
    await app.type('say short\r');
    await app.waitFor(() => app.conn.commands.length === 1, 'the short one sent');
    expect(app.conn.commands).toEqual(['say short']);
  });

  it('a command while disconnected is not lost silently', async () => {
    const app = await inGame();
    app.conn.connected = false;
    await app.type('look\r');
    await app.waitFor((f) => f.includes('Not connected: that was not sent'), 'the warning');
  });

  for (const [how, keys] of [
    ['/quit', '/quit\r'],
    ['Ctrl+C', KEY.ctrlC],
    ['Ctrl+D', KEY.ctrlD],
  ] as const) {
    it(`${how} sends quit and exits`, async () => {
      const app = await inGame();
      await app.type(keys);
      for (let i = 0; i < 100 && app.exits() === 0; i++) await tick(10);
      expect(app.conn.quitCalls).toBe(1);
      expect(app.conn.commands).toEqual(['quit']);
      expect(app.conn.closed).toBe(true);
      expect(app.exits()).toBe(1);
    });
  }
});
