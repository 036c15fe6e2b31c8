import { describe, expect, it } from 'vitest';
import { authErrorCode, authErrorKind, authFailed, initialLogin, isSecret, prompt, submitLogin, type LoginState } from '../../../cli/tui/login.js';

function answer(state: LoginState, ...texts: string[]) {
  let r = { state } as ReturnType<typeof submitLogin>;
  for (const t of texts) r = submitLogin(r.state, t);
  return r;
}

describe('login dialogue', () => {
  it('asks the name, then the password (hidden), then logs in', () => {
    const s0 = initialLogin().state;
    expect(s0.step).toBe('name');
    expect(prompt(s0)).toMatch(/name/i);
    const s1 = submitLogin(s0, ' armitage ').state;
    expect(s1.step).toBe('password');
    expect(isSecret(s1)).toBe(true);
    const r = submitLogin(s1, 'secret-pass');
    expect(r.state.step).toBe('waiting');
    expect(r.auth).toEqual({ kind: 'login', name: 'armitage', password: 'secret-pass' });
  });

  it('refuses a name that cannot be one, in plain words', () => {
    const r = answer(initialLogin().state, 'Dr Armitage');
    expect(r.state.step).toBe('name');
    expect(r.state.error).toMatch(/2 to 20 letters/);
    expect(r.auth).toBeUndefined();
  });

  it('offers to create an unknown name, then takes the password twice and registers', () => {
    const waiting = answer(initialLogin().state, 'wilmarth', 'secret-pass').state;
    const offered = authFailed(waiting, { reason: 'unknown_name', message: 'No such character.' });
    expect(offered.step).toBe('confirm');
    expect(prompt(offered)).toMatch(/no character called Wilmarth.*create it\? \(y\/n\)/i);
    const repeat = submitLogin(offered, 'y').state;
    expect(repeat.step).toBe('repeat');
    expect(isSecret(repeat)).toBe(true);
    const r = submitLogin(repeat, 'secret-pass');
    expect(r.auth).toEqual({ kind: 'register', name: 'wilmarth', password: 'secret-pass' });
  });

  it('asks again when the two passwords differ, and wants 6 characters for a new one', () => {
    const offered = authFailed(answer(initialLogin().state, 'wilmarth', 'abc').state, { reason: 'unknown_name', message: 'No such character.' });
    const choose = submitLogin(offered, 'yes').state;
    expect(choose.step).toBe('password'); // "abc" is too short to keep
    expect(submitLogin(choose, 'abc').state.error).toMatch(/at least 6/);
    const differ = answer(choose, 'secret-pass', 'secret-pasz').state;
    expect(differ.step).toBe('password');
    expect(differ.error).toMatch(/differ/);
  });

  it('answering n to the offer goes back to the name', () => {
    const offered = authFailed(answer(initialLogin().state, 'wilmarth', 'secret-pass').state, { reason: 'unknown_name', message: 'x' });
    expect(submitLogin(offered, 'n').state.step).toBe('name');
    expect(submitLogin(offered, 'maybe').state.error).toMatch(/y or n/);
  });

  it('says wrong password and banned in plain words', () => {
    const waiting = answer(initialLogin().state, 'armitage', 'nope-nope').state;
    const wrong = authFailed(waiting, { reason: 'bad_password', message: 'Wrong password.' });
    expect(wrong.step).toBe('password');
    expect(wrong.error).toBe('Wrong password. Try again.');
    const banned = authFailed(waiting, { reason: 'banned', message: 'You are banned from Arkham: spamming.' });
    expect(banned.step).toBe('name');
    expect(banned.error).toBe('You are banned from Arkham: spamming.');
  });

  it('--name and MYTHOS_PASSWORD skip the questions; a new name is created without asking twice', () => {
    const r = initialLogin('armitage', 'secret-pass');
    expect(r.state.step).toBe('waiting');
    expect(r.auth).toEqual({ kind: 'login', name: 'armitage', password: 'secret-pass' });
    const offered = authFailed(r.state, { reason: 'unknown_name', message: 'No such character.' });
    expect(submitLogin(offered, 'y').auth).toEqual({ kind: 'register', name: 'armitage', password: 'secret-pass' });
    const wrong = authFailed(r.state, { reason: 'bad_password', message: 'Wrong password.' });
    expect(wrong.step).toBe('password');
    expect(wrong.error).toMatch(/MYTHOS_PASSWORD/);
  });

  it('reads the kind of failure from a code, or from the words when there is none', () => {
    expect(authErrorCode({ reason: 'unknown_name', message: 'No such character.' })).toBe('unknown_name');
    expect(authErrorCode({ reason: 'No such character.', message: '' })).toBeNull();
    expect(authErrorCode({ reason: 'x', message: 'y', code: 'banned' })).toBe('banned');
    expect(authErrorKind(null, 'No such character.')).toBe('unknown_name');
    expect(authErrorKind(null, 'Wrong password.')).toBe('bad_password');
    expect(authErrorKind('session_expired', 'That session has ended')).toBe('other');
  });
});
