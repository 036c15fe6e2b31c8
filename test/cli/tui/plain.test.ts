import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runPlain } from '../../../cli/tui/plain.js';
import { authOk, entered, envelope, FakeConnection, gameState, said } from './fixtures.js';

const tick = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));

function plain(opts: { name?: string; password?: string } = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  const conn = new FakeConnection();
  const done = runPlain({ url: 'ws://127.0.0.1:4001/ws', ...opts, input, output, connection: conn });
  return {
    input,
    conn,
    done,
    text: () => text,
    async waitFor(s: string) {
      for (let i = 0; i < 200 && !text.includes(s); i++) await tick(10);
      expect(text).toContain(s);
    },
  };
}

describe('plain mode', () => {
  it('asks the questions as lines, creates a new character, prints one line per event, no colours', async () => {
    const p = plain();
    await p.waitFor('What is your name');
    p.input.write('wilmarth\n');
    await p.waitFor('Password:');
    p.input.write('secret-pass\n');
    for (let i = 0; i < 100 && p.conn.auths.length === 0; i++) await tick(10);
    expect(p.conn.auths).toEqual([{ kind: 'login', name: 'wilmarth', password: 'secret-pass' }]);
    p.conn.emit(envelope('auth_error', { reason: 'unknown_name', message: 'No such character.' }), 'unknown_name');
    await p.waitFor('Create it? (y/n)');
    p.input.write('y\n');
    await p.waitFor('Type the same password again:');
    p.input.write('secret-pass\n');
    for (let i = 0; i < 100 && p.conn.auths.length === 1; i++) await tick(10);
    expect(p.conn.auths[1]).toEqual({ kind: 'register', name: 'wilmarth', password: 'secret-pass' });
    p.conn.emit(authOk());
    p.conn.emit(gameState());
    p.conn.emit(entered('p_d', 'Dyer'));
    p.conn.emit(said('p_d', 'Dyer', 'Cold tonight.'));
    await p.waitFor('Dyer says, "Cold tonight."');
    const lines = p.text().split('\n');
    expect(lines).toContain('Independence Square');
    expect(lines).toContain('Exits: north, south.');
    expect(lines).toContain('Dyer arrives from the south.');
    expect(p.text()).not.toMatch(/\x1b\[/);
    p.input.write('look\n/help\n');
    await p.waitFor('Local commands');
    expect(p.conn.commands).toEqual(['look']);
    p.input.end();
    expect(await p.done).toBe(0);
    expect(p.conn.commands).toEqual(['look', 'quit']);
  });

  it('queues piped commands until the login is done, then quits at the end of input', async () => {
    const p = plain({ name: 'armitage', password: 'secret-pass' });
    p.input.write('say one\nsay two\n');
    p.input.end();
    for (let i = 0; i < 100 && p.conn.auths.length === 0; i++) await tick(10);
    expect(p.conn.auths).toEqual([{ kind: 'login', name: 'armitage', password: 'secret-pass' }]);
    await tick(20);
    expect(p.conn.commands).toEqual([]);
    p.conn.emit(authOk());
    expect(await p.done).toBe(0);
    expect(p.conn.commands).toEqual(['say one', 'say two', 'quit']);
  });

  it('says what went wrong and exits non-zero when a piped login fails', async () => {
    const p = plain({ name: 'armitage', password: 'wrong-pass' });
    p.input.end();
    for (let i = 0; i < 100 && p.conn.auths.length === 0; i++) await tick(10);
    p.conn.emit(envelope('auth_error', { reason: 'bad_password', message: 'Wrong password.' }), 'bad_password');
    expect(await p.done).toBe(1);
    expect(p.text()).toContain('Wrong password for Armitage');
  });

  it('reports a lost link and the reconnect in words', async () => {
    const p = plain({ name: 'armitage', password: 'secret-pass' });
    for (let i = 0; i < 100 && p.conn.auths.length === 0; i++) await tick(10);
    p.conn.status({ state: 'connected' });
    p.conn.emit(authOk());
    p.conn.status({ state: 'reconnecting', retryAt: Date.now() + 2000, attempt: 1, reason: 'the connection dropped' });
    await p.waitFor('Connection lost: the connection dropped. Reconnecting in 2 s.');
    p.conn.status({ state: 'connecting', attempt: 1 });
    p.conn.status({ state: 'connected' });
    await p.waitFor('Reconnected.');
    p.input.end();
    expect(await p.done).toBe(0);
  });
});
