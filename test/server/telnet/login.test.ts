// The telnet login dialogue with a real Game on a temporary store, through a recording LoginPort.
import { afterEach, describe, expect, it } from 'vitest';
import { InputQueue } from '../../../server/core/input-queue.js';
import type { Account } from '../../../server/store/repository.js';
import { LoginDialogue, MAX_PASSWORD_TRIES, type LoginPort } from '../../../server/telnet/login.js';
import { makeGame, waitFor, type TestGame } from '../helpers.js';

type Ev =
  | { kind: 'prompt'; text: string }
  | { kind: 'say'; text: string }
  | { kind: 'hide'; hidden: boolean }
  | { kind: 'close'; notice: string }
  | { kind: 'enter'; account: Account };

/**
 * A dialogue fed the way the telnet connection feeds it: through the door's input queue, which
 * holds lines while a password is checked and, once in the game, hands them to the game instead.
 */
function dialogue(tg: TestGame) {
  const events: Ev[] = [];
  /** Lines that reached the game after the login. */
  const gameLines: string[] = [];
  let entered = false;
  const queue = new InputQueue<string>({
    run: (l) => (entered ? gameLines.push(l) : d.line(l)),
    overflowed: () => {},
    flooded: () => {},
  });
  const port: LoginPort = {
    prompt: (text) => events.push({ kind: 'prompt', text }),
    say: (text) => events.push({ kind: 'say', text }),
    hideInput: (hidden) => events.push({ kind: 'hide', hidden }),
    close: (notice) => events.push({ kind: 'close', notice }),
    enter: (account) => {
      entered = true;
      events.push({ kind: 'enter', account });
    },
    hold: (held) => (held ? queue.hold() : queue.release()),
    address: '127.0.0.1',
    log: () => {},
  };
  const d = new LoginDialogue(tg.game, port);
  const line = (text: string) => queue.push(text, text.length);
  const prompts = () => events.filter((e): e is Extract<Ev, { kind: 'prompt' }> => e.kind === 'prompt').map((e) => e.text);
  const lastPrompt = () => prompts().at(-1) ?? '';
  const says = () => events.filter((e): e is Extract<Ev, { kind: 'say' }> => e.kind === 'say').map((e) => e.text);
  const hides = () => events.filter((e): e is Extract<Ev, { kind: 'hide' }> => e.kind === 'hide').map((e) => e.hidden);
  const count = () => events.length;
  /** Types a line and waits until the dialogue has answered it (a hash may be on its way). */
  const type = async (text: string) => {
    const before = prompts().length;
    const ended = () => events.some((e) => e.kind === 'close' || e.kind === 'enter');
    line(text);
    await waitFor(() => prompts().length > before || ended(), `an answer to ${JSON.stringify(text)}`);
  };
  return { d, line, gameLines, events, prompts, lastPrompt, says, hides, count, type };
}

/**
 * Checks the ECHO discipline: every password prompt comes while input is hidden, every other
 * prompt while it is shown, and input is shown again at the end.
 */
function expectEchoDiscipline(events: Ev[]): void {
  let hidden = false;
  for (const e of events) {
    if (e.kind === 'hide') hidden = e.hidden;
    if (e.kind === 'prompt') expect({ prompt: e.text, hidden }).toEqual({ prompt: e.text, hidden: /password/i.test(e.text) });
  }
  expect(hidden).toBe(false);
}

let tg: TestGame | undefined;
afterEach(() => {
  tg?.cleanup();
  tg = undefined;
});

describe('the telnet login dialogue', () => {
  it('creates a new character: name, (y/n), password twice; a mismatch asks again', async () => {
    tg = makeGame();
    const t = dialogue(tg);
    t.d.start();
    expect(t.lastPrompt()).toMatch(/name/i);
    await t.type('armitage');
    expect(t.lastPrompt()).toContain('(y/n)');
    expect(t.lastPrompt()).toContain('Armitage');
    await t.type('perhaps');
    expect(t.lastPrompt()).toContain('(y/n)');
    await t.type('y');
    expect(t.lastPrompt()).toMatch(/password/i);
    await t.type('short');
    expect(t.says()).toContain('A password has at least 6 characters.');
    expect(t.lastPrompt()).toMatch(/choose a password/i);
    await t.type('miskatonic');
    expect(t.lastPrompt()).toMatch(/repeat the password/i);
    await t.type('miskatonik');
    expect(t.says()).toContain('The passwords differ.');
    expect(t.lastPrompt()).toMatch(/choose a password/i);
    await t.type('miskatonic');
    t.line('miskatonic');
    await waitFor(() => t.events.some((e) => e.kind === 'enter'), 'entering the game');
    const entered = t.events.find((e) => e.kind === 'enter')!;
    expect(entered.kind === 'enter' && entered.account.displayName).toBe('Armitage');
    expect(t.d.finished).toBe(true);
    const stored = tg.store.findAccount('armitage')!;
    expect(stored.passwordHash).not.toContain('miskatonic');
    expect(await tg.game.accounts.passwords.verify('miskatonic', stored.passwordHash)).toBe(true);
    expectEchoDiscipline(t.events);
    expect(t.hides()).toEqual([true, false]);
  });

  it('answering n to (y/n) asks for a name again and creates nothing', async () => {
    tg = makeGame();
    const t = dialogue(tg);
    t.d.start();
    await t.type('armitage');
    await t.type('No');
    expect(t.lastPrompt()).toMatch(/name/i);
    expect(tg.store.findAccount('armitage')).toBeUndefined();
    expect(t.hides()).toEqual([]);
  });

  it('logs in an existing character with one password prompt, any case of the name', async () => {
    tg = makeGame();
    expect((await tg.game.accounts.register('armitage', 'miskatonic')).ok).toBe(true);
    const t = dialogue(tg);
    t.d.start();
    await t.type('ARMITAGE');
    expect(t.lastPrompt()).toMatch(/password/i);
    expect(t.prompts().join()).not.toContain('(y/n)');
    t.line('miskatonic');
    await waitFor(() => t.events.some((e) => e.kind === 'enter'), 'entering the game');
    expectEchoDiscipline(t.events);
    expect(t.hides()).toEqual([true, false]);
  });

  it('lets a wrong password be retried, then logs in', async () => {
    tg = makeGame();
    await tg.game.accounts.register('armitage', 'miskatonic');
    const t = dialogue(tg);
    t.d.start();
    await t.type('armitage');
    await t.type('wrong-one');
    expect(t.says()).toContain('Wrong password.');
    expect(t.lastPrompt()).toMatch(/password/i);
    t.line('miskatonic');
    await waitFor(() => t.events.some((e) => e.kind === 'enter'), 'entering the game');
    expect(t.events.some((e) => e.kind === 'close')).toBe(false);
    expectEchoDiscipline(t.events);
  });

  it(`closes the connection after ${MAX_PASSWORD_TRIES} wrong passwords`, async () => {
    tg = makeGame();
    await tg.game.accounts.register('armitage', 'miskatonic');
    const t = dialogue(tg);
    t.d.start();
    await t.type('armitage');
    await t.type('wrong-1');
    await t.type('wrong-2');
    t.line('wrong-3');
    await waitFor(() => t.events.some((e) => e.kind === 'close'), 'the connection to close');
    const close = t.events.find((e) => e.kind === 'close')!;
    expect(close.kind === 'close' && close.notice).toMatch(/too many wrong passwords/i);
    expect(t.events.some((e) => e.kind === 'enter')).toBe(false);
    expect(t.d.finished).toBe(true);
    expectEchoDiscipline(t.events);
    const n = t.count();
    t.line('miskatonic'); // nothing after the end: a finished dialogue starts no hash at all
    await new Promise((r) => setTimeout(r, 20));
    expect(t.count()).toBe(n);
    expect(t.gameLines).toEqual([]);
  });

  it('asks again, with the rule, for names that are not 2-20 letters', async () => {
    tg = makeGame();
    const t = dialogue(tg);
    t.d.start();
    for (const bad of ['a', 'bob smith', 'h4x0r', 'x'.repeat(21), 'ñame', "o'brien"]) {
      await t.type(bad);
      expect(t.lastPrompt(), bad).toMatch(/name/i);
      expect(t.says().at(-1), bad).toMatch(/2 to 20 letters/);
    }
    const says = t.says().length;
    await t.type('   ');
    expect(t.says()).toHaveLength(says); // an empty line is just asked again
    expect(t.lastPrompt()).toMatch(/name/i);
    expect(tg.store.listAccounts()).toEqual([]);
    expect(t.hides()).toEqual([]);
  });

  it('refuses a banned character with the reason, after the right password', async () => {
    tg = makeGame();
    const r = await tg.game.accounts.register('armitage', 'miskatonic');
    if (!r.ok) throw new Error(r.reason);
    tg.store.setBan(r.account.id, 'consorting with Deep Ones');
    const t = dialogue(tg);
    t.d.start();
    await t.type('armitage');
    t.line('miskatonic');
    await waitFor(() => t.events.some((e) => e.kind === 'close'), 'the connection to close');
    const close = t.events.find((e) => e.kind === 'close')!;
    expect(close.kind === 'close' && close.notice).toContain('consorting with Deep Ones');
    expectEchoDiscipline(t.events);
  });

  it('holds lines typed while a password is checked, and they reach the game after, in order', async () => {
    tg = makeGame();
    await tg.game.accounts.register('armitage', 'miskatonic');
    const t = dialogue(tg);
    t.d.start();
    await t.type('armitage');
    t.line('miskatonic');
    t.line('look');
    t.line('say hello');
    await waitFor(() => t.gameLines.length === 2, 'the held lines to reach the game');
    expect(t.events.some((e) => e.kind === 'enter')).toBe(true);
    expect(t.gameLines).toEqual(['look', 'say hello']);
  });

  it('replays a line typed during a wrong-password check as the next try', async () => {
    tg = makeGame();
    await tg.game.accounts.register('armitage', 'miskatonic');
    const t = dialogue(tg);
    t.d.start();
    await t.type('armitage');
    t.line('wrong-1');
    t.line('miskatonic'); // typed before the server said "Wrong password."
    await waitFor(() => t.events.some((e) => e.kind === 'enter'), 'entering the game');
    expect(t.says()).toContain('Wrong password.');
  });

  it('lets only one of two dialogues racing for the same new name have it; the other is asked again', async () => {
    tg = makeGame();
    const one = dialogue(tg);
    const two = dialogue(tg);
    for (const t of [one, two]) {
      t.d.start();
      await t.type('armitage');
      await t.type('y');
      await t.type('miskatonic');
    }
    // Both repeat the password in the same turn: both hashes run, the store decides.
    one.line('miskatonic');
    two.line('miskatonic');
    const done = (t: typeof one) => t.events.some((e) => e.kind === 'enter') || /name/i.test(t.lastPrompt());
    await waitFor(() => done(one) && done(two), 'both registrations to finish');
    const entered = [one, two].filter((t) => t.events.some((e) => e.kind === 'enter'));
    expect(entered).toHaveLength(1);
    const loser = entered[0] === one ? two : one;
    expect(loser.says()).toContain('The name Armitage is taken.');
    expectEchoDiscipline(loser.events);
    expect(tg.store.listAccounts()).toHaveLength(1);
  });

  it('closes politely when the server is shutting down', async () => {
    tg = makeGame();
    const t = dialogue(tg);
    t.d.start();
    await t.type('armitage');
    await t.type('y');
    await t.type('miskatonic');
    tg.game.closing = true;
    t.line('miskatonic');
    await waitFor(() => t.events.some((e) => e.kind === 'close'), 'the connection to close');
    expect(t.events.find((e) => e.kind === 'close')).toMatchObject({ notice: expect.stringMatching(/shutting down/) });
    expectEchoDiscipline(t.events);
  });
});
