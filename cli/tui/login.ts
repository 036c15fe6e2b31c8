// The login dialogue as a pure state machine: name, password, and for a new name the offer to
// create the character with the password typed twice. The protocol has no "does this name exist"
// question, so a name is known to be new when `login` answers auth_error for an unknown name.
import { PASSWORD_MIN, Password, PlayerName, displayName, problemWith, sentence } from '../../shared/protocol.js';

export type LoginStep = 'name' | 'password' | 'confirm' | 'repeat' | 'waiting';

export interface LoginState {
  step: LoginStep;
  name: string;
  password: string;
  /** The player said yes to creating a new character. */
  creating: boolean;
  /** The password came from MYTHOS_PASSWORD: never ask for it, never ask twice. */
  presetPassword: boolean;
  /** What went wrong, in plain words. */
  error: string | null;
}

export interface AuthRequest {
  kind: 'login' | 'register';
  name: string;
  password: string;
}

export interface LoginResult {
  state: LoginState;
  /** Set when the dialogue has what it needs: send this to the server. */
  auth?: AuthRequest;
}


export function initialLogin(name?: string, password?: string): LoginResult {
  const base: LoginState = { step: 'name', name: '', password: '', creating: false, presetPassword: false, error: null };
  if (password) {
    base.password = password;
    base.presetPassword = true;
  }
  if (name === undefined) return { state: base };
  return submitLogin(base, name);
}

/** The question the screen asks at this step. */
export function prompt(state: LoginState): string {
  switch (state.step) {
    case 'name':
      return 'What is your name, investigator?';
    case 'password':
      return state.creating ? `Choose a password for ${displayName(state.name)} (at least ${PASSWORD_MIN} characters):` : 'Password:';
    case 'confirm':
      return `There is no character called ${displayName(state.name)} yet. Create it? (y/n)`;
    case 'repeat':
      return 'Type the same password again:';
    case 'waiting':
      return state.creating ? `Creating ${displayName(state.name)}...` : `Logging in as ${displayName(state.name)}...`;
  }
}

/** Whether what the player types at this step is hidden. */
export function isSecret(state: LoginState): boolean {
  return state.step === 'password' || state.step === 'repeat';
}

function request(state: LoginState): LoginResult {
  const next: LoginState = { ...state, step: 'waiting', error: null };
  return { state: next, auth: { kind: state.creating ? 'register' : 'login', name: state.name, password: state.password } };
}

/** The player pressed Enter at the current step with `text` typed. */
export function submitLogin(state: LoginState, text: string): LoginResult {
  switch (state.step) {
    case 'name': {
      const name = text.trim();
      if (name === '') return { state: { ...state, error: null } };
      const badName = problemWith(PlayerName, name);
      if (badName) return { state: { ...state, error: sentence(badName) } };
      const named: LoginState = { ...state, name, creating: false, error: null };
      if (state.presetPassword) return request(named);
      return { state: { ...named, step: 'password', password: '' } };
    }
    case 'password': {
      if (text === '') return { state: { ...state, error: 'Type a password, or press Ctrl+C to leave.' } };
      const weak = state.creating ? problemWith(Password, text) : null;
      if (weak) return { state: { ...state, error: sentence(weak) } };
      const typed: LoginState = { ...state, password: text, error: null };
      return state.creating ? { state: { ...typed, step: 'repeat' } } : request(typed);
    }
    case 'confirm': {
      const answer = text.trim().toLowerCase();
      if (answer === 'y' || answer === 'yes') {
        const creating: LoginState = { ...state, creating: true, error: null };
        const weak = problemWith(Password, state.password);
        if (state.presetPassword) {
          if (weak) {
            const error = `MYTHOS_PASSWORD will not do for a new character: ${weak}.`;
            return { state: { ...creating, step: 'password', password: '', presetPassword: false, error } };
          }
          return request(creating);
        }
        if (weak) return { state: { ...creating, step: 'password', password: '' } };
        return { state: { ...creating, step: 'repeat' } };
      }
      if (answer === 'n' || answer === 'no') {
        return { state: { ...state, step: 'name', name: '', password: state.presetPassword ? state.password : '', error: null } };
      }
      return { state: { ...state, error: 'Please answer y or n.' } };
    }
    case 'repeat': {
      if (text !== state.password) {
        return { state: { ...state, step: 'password', password: '', error: 'The two passwords differ. Choose the password again.' } };
      }
      return request(state);
    }
    case 'waiting':
      return { state };
  }
}

/** The auth_error reasons the screen treats differently (the server's AuthResult codes). */
export type AuthErrorKind = 'unknown_name' | 'bad_password' | 'banned' | 'name_taken' | 'weak_password' | 'invalid_name' | 'other';

const KINDS = new Set<string>(['unknown_name', 'bad_password', 'banned', 'name_taken', 'weak_password', 'invalid_name']);

/** auth_error's `data` as far as the dialogue needs it. */
export interface AuthErrorData {
  reason: string;
  message: string;
  /** A separate code field, if a door sends one beside `reason`. */
  code?: string | null;
}

/**
 * The machine-readable part of an auth_error: a `code` field if there is one, else `reason` when
 * it reads like a code (`unknown_name`) rather than a sentence.
 */
export function authErrorCode(data: AuthErrorData): string | null {
  if (data.code) return data.code;
  return /^[a-z][a-z0-9_]*$/.test(data.reason) ? data.reason : null;
}

/** The words to show the player for an auth_error. */
export function authErrorText(data: AuthErrorData): string {
  if (data.message) return data.message;
  return data.reason;
}

/**
 * Which failure an auth_error is. The server's code decides when there is one; without it the
 * words do, so a door that sends only a sentence still gets the offer to create a character.
 */
export function authErrorKind(code: string | null, text: string): AuthErrorKind {
  if (code !== null && KINDS.has(code)) return code as AuthErrorKind;
  if (/no such (character|account|player)|unknown (name|character)|not found/i.test(text)) return 'unknown_name';
  if (/wrong password|bad password|incorrect password/i.test(text)) return 'bad_password';
  if (/banned/i.test(text)) return 'banned';
  if (/taken/i.test(text)) return 'name_taken';
  return 'other';
}

/** The server said no: go to the step where the player can put it right. */
export function authFailed(state: LoginState, data: AuthErrorData): LoginState {
  const keep = { ...state, error: null as string | null };
  const reason = authErrorText(data);
  switch (authErrorKind(authErrorCode(data), reason)) {
    case 'unknown_name':
      return { ...keep, step: 'confirm', creating: false };
    case 'bad_password':
      if (state.presetPassword) {
        const error = `Wrong password for ${displayName(state.name)} (from MYTHOS_PASSWORD). Type it here.`;
        return { ...keep, step: 'password', password: '', presetPassword: false, error };
      }
      return { ...keep, step: 'password', password: '', error: 'Wrong password. Try again.' };
    case 'banned':
      return { ...keep, step: 'name', name: '', creating: false, error: reason };
    case 'name_taken':
      return { ...keep, step: 'name', name: '', creating: false, error: `${reason} Choose another name.` };
    case 'weak_password':
      return { ...keep, step: 'password', password: '', presetPassword: false, error: reason };
    case 'invalid_name':
      return { ...keep, step: 'name', name: '', creating: false, error: reason };
    case 'other':
      return { ...keep, step: 'name', creating: false, error: reason };
  }
}
