// Accounts: names, passwords and bans, checked for both doors alike. The game's sessions and
// world never see a password; this is the only part of the core that hashes or verifies one.
import type { Logger } from 'pino';
import { NAME_PATTERN, Password, PlayerName, displayName, problemWith, sentence } from '../../shared/protocol.js';
import type { Account, Store } from '../store/repository.js';
import { NameTakenError } from '../store/repository.js';
import type { ThrottleOptions } from './failure-throttle.js';
import { LoginGuard } from './login-guard.js';
import { Passwords } from './password.js';

export type AuthResult =
  | { ok: true; account: Account }
  | { ok: false; code: 'invalid_name' | 'name_taken' | 'bad_password' | 'unknown_name' | 'banned' | 'closing' | 'weak_password'; reason: string };

export interface AccountsOptions {
  store: Store;
  log: Logger;
  /** Where a new character starts: asked at registration, as the world may have been reloaded. */
  startRoom(): string;
  /** True once the server is shutting down: no new logins then. */
  closing(): boolean;
  /** How wrong passwords slow down the next attempts (tests shorten the waits). */
  loginThrottle?: Partial<ThrottleOptions>;
}

const CLOSING: AuthResult = { ok: false, code: 'closing', reason: 'The server is shutting down; try again later.' };

export class Accounts {
  /** This game's password hashing: its own pool of hashing processes. */
  readonly passwords = new Passwords();
  private readonly logins: LoginGuard;

  constructor(private readonly opts: AccountsOptions) {
    this.logins = new LoginGuard(opts.loginThrottle);
  }

  /** For the telnet dialogue: is this a name we can log in as, or create? */
  nameState(name: string): 'invalid' | 'new' | 'exists' {
    if (!NAME_PATTERN.test(name)) return 'invalid';
    return this.opts.store.findAccount(name) ? 'exists' : 'new';
  }

  async register(name: string, password: string): Promise<AuthResult> {
    const { store, log } = this.opts;
    if (this.opts.closing()) return CLOSING;
    const badName = problemWith(PlayerName, name);
    if (badName) return { ok: false, code: 'invalid_name', reason: sentence(badName) };
    const weak = problemWith(Password, password);
    if (weak) return { ok: false, code: 'weak_password', reason: sentence(weak) };
    if (store.findAccount(name)) return { ok: false, code: 'name_taken', reason: `The name ${displayName(name)} is taken.` };
    const hash = await this.passwords.hash(password);
    try {
      const account = store.createAccount({ name, passwordHash: hash, role: 'player', roomId: this.opts.startRoom() });
      log.info({ player: account.name }, 'account created');
      return { ok: true, account };
    } catch (err) {
      // Two registrations of one name raced through the hash; the store's UNIQUE decided.
      if (err instanceof NameTakenError) return { ok: false, code: 'name_taken', reason: `The name ${displayName(name)} is taken.` };
      throw err;
    }
  }

  /**
   * A login from `from` (the remote address), on either door. After a few wrong passwords from
   * that address or for that account, the check itself waits (LoginGuard).
   */
  async authenticate(name: string, password: string, from: string): Promise<AuthResult> {
    const { store, log } = this.opts;
    if (this.opts.closing()) return CLOSING;
    const account = NAME_PATTERN.test(name) ? store.findAccount(name) : undefined;
    if (!account) return { ok: false, code: 'unknown_name', reason: 'No such character.' };
    const wait = this.logins.delayFor(from, account.name);
    if (wait > 0) {
      log.warn({ player: account.name, addr: from, wait_ms: wait }, 'login throttled after wrong passwords');
      await new Promise((r) => setTimeout(r, wait));
    }
    if (!(await this.passwords.verify(password, account.passwordHash))) {
      this.logins.failed(from, account.name);
      log.warn({ player: account.name, addr: from }, 'wrong password');
      return { ok: false, code: 'bad_password', reason: 'Wrong password.' };
    }
    this.logins.succeeded(from, account.name);
    if (account.bannedAt) {
      log.warn({ player: account.name }, 'banned player tried to log in');
      return { ok: false, code: 'banned', reason: `You are banned from Arkham${account.banReason ? `: ${account.banReason}` : '.'}` };
    }
    return { ok: true, account };
  }

  close(): void {
    this.passwords.close();
  }
}
