// The telnet login dialogue as a chain of small states (after RanvierMUD's input events):
// name -> (new: confirm -> choose password -> repeat) | (known: password) -> in game.
import { displayName } from '../../shared/protocol.js';
import type { Game } from '../core/game.js';
import type { Account } from '../store/repository.js';

export const MAX_PASSWORD_TRIES = 3;

export interface LoginPort {
  /** Show a prompt (no newline), marked with GA/EOR. */
  prompt(text: string): void;
  say(text: string): void;
  /** true while a password is typed: the server says WILL ECHO and the client stops echoing. */
  hideInput(hidden: boolean): void;
  close(notice: string): void;
  enter(account: Account): void;
  log(msg: string, fields?: Record<string, unknown>): void;
}

type State =
  | { kind: 'name' }
  | { kind: 'confirm'; name: string }
  | { kind: 'choose'; name: string }
  | { kind: 'repeat'; name: string; password: string }
  | { kind: 'password'; name: string; tries: number }
  | { kind: 'waiting' }
  | { kind: 'done' };

export class LoginDialogue {
  private state: State = { kind: 'name' };
  // Lines typed ahead while a password hash is being checked are kept, in order, up to a bound.
  private readonly queued: string[] = [];

  constructor(
    private readonly game: Game,
    private readonly port: LoginPort,
  ) {}

  start(): void {
    this.port.prompt('By what name are you known? ');
  }

  get finished(): boolean {
    return this.state.kind === 'done';
  }

  line(text: string): void {
    const s = this.state;
    if (s.kind === 'done') return;
    if (s.kind === 'waiting') {
      if (this.queued.length < 16) this.queued.push(text);
      return;
    }
    const input = text.trim();
    switch (s.kind) {
      case 'name':
        return this.onName(input);
      case 'confirm':
        return this.onConfirm(s.name, input);
      case 'choose':
        return this.onChoose(s.name, text);
      case 'repeat':
        return this.settle(this.onRepeat(s.name, s.password, text));
      case 'password':
        return this.settle(this.onPassword(s.name, s.tries, text));
    }
  }

  private onName(input: string): void {
    if (!input) return this.port.prompt('By what name are you known? ');
    switch (this.game.nameState(input)) {
      case 'invalid':
        this.port.say('A name is 2 to 20 letters, A to Z, with no spaces.');
        return this.port.prompt('By what name are you known? ');
      case 'exists':
        this.state = { kind: 'password', name: input, tries: 0 };
        this.port.hideInput(true);
        return this.port.prompt('Password: ');
      case 'new':
        this.state = { kind: 'confirm', name: input };
        return this.port.prompt(`No investigator named ${displayName(input)} is known. Create ${displayName(input)}? (y/n) `);
    }
  }

  private onConfirm(name: string, input: string): void {
    const answer = input.toLowerCase();
    if (answer.startsWith('y')) {
      this.state = { kind: 'choose', name };
      this.port.hideInput(true);
      return this.port.prompt('Choose a password (at least 6 characters): ');
    }
    if (answer.startsWith('n')) {
      this.state = { kind: 'name' };
      return this.port.prompt('Then by what name are you known? ');
    }
    this.port.prompt(`Create ${displayName(name)}? Please answer y or n: (y/n) `);
  }

  private onChoose(name: string, password: string): void {
    this.port.say('');
    if (password.length < 6) {
      this.port.say('That password is too short: at least 6 characters.');
      return this.port.prompt('Choose a password (at least 6 characters): ');
    }
    this.state = { kind: 'repeat', name, password };
    this.port.prompt('Repeat the password: ');
  }

  private async onRepeat(name: string, password: string, again: string): Promise<void> {
    this.port.say('');
    if (again !== password) {
      this.state = { kind: 'choose', name };
      this.port.say('The passwords differ.');
      return this.port.prompt('Choose a password (at least 6 characters): ');
    }
    this.state = { kind: 'waiting' };
    const result = await this.game.register(name, password);
    if (this.state.kind !== 'waiting') return; // closed meanwhile
    if (!result.ok) {
      this.port.hideInput(false);
      this.port.say(result.reason);
      if (result.code === 'closing') return this.finish(() => this.port.close(result.reason));
      this.state = { kind: 'name' };
      this.port.prompt('By what name are you known? ');
      return this.drain();
    }
    this.port.hideInput(false);
    this.port.log('registered', { player: result.account.name });
    this.finish(() => this.port.enter(result.account));
  }

  private async onPassword(name: string, tries: number, password: string): Promise<void> {
    this.port.say('');
    this.state = { kind: 'waiting' };
    const result = await this.game.authenticate(name, password);
    if (this.state.kind !== 'waiting') return;
    if (result.ok) {
      this.port.hideInput(false);
      return this.finish(() => this.port.enter(result.account));
    }
    if (result.code === 'bad_password') {
      const used = tries + 1;
      this.port.log('wrong password', { player: name.toLowerCase(), tries: used });
      if (used >= MAX_PASSWORD_TRIES) {
        this.port.hideInput(false);
        return this.finish(() => this.port.close('Wrong password. Too many wrong passwords; goodbye.'));
      }
      this.state = { kind: 'password', name, tries: used };
      this.port.say('Wrong password.');
      this.port.prompt('Password: ');
      return this.drain();
    }
    this.port.hideInput(false);
    this.finish(() => this.port.close(result.reason));
  }

  /** A failed hash or store write ends the dialogue with a message, never an unhandled rejection. */
  private settle(step: Promise<void>): void {
    step.catch((err: unknown) => {
      this.port.log('login failed', { err: String(err) });
      this.finish(() => this.port.close('Something went wrong on our side; please try again later.'));
    });
  }

  private finish(then: () => void): void {
    this.state = { kind: 'done' };
    then();
  }

  /** Replays lines typed while we were waiting on a hash. */
  private drain(): void {
    while (this.queued.length && this.state.kind !== 'waiting' && this.state.kind !== 'done') {
      this.line(this.queued.shift()!);
    }
  }

  /** Lines typed ahead that belong to the game (after the password): handed over on entry. */
  takeQueued(): string[] {
    return this.queued.splice(0);
  }
}
