// The telnet login dialogue as a chain of small states (after RanvierMUD's input events):
// name -> (new: confirm -> choose password -> repeat) | (known: password) -> in game.
import { cleanText } from '../../shared/clean-text.js';
import { MAX_PASSWORD_TRIES, PASSWORD_MIN, Password, PlayerName, displayName, problemWith, sentence } from '../../shared/protocol.js';
import type { Game } from '../core/game.js';
import type { Account } from '../store/repository.js';

export { MAX_PASSWORD_TRIES };

const CHOOSE_PASSWORD = `Choose a password (at least ${PASSWORD_MIN} characters): `;

export interface LoginPort {
  /** Show a prompt (no newline), marked with GA/EOR. */
  prompt(text: string): void;
  say(text: string): void;
  /** true while a password is typed: the server says WILL ECHO and the client stops echoing. */
  hideInput(hidden: boolean): void;
  close(notice: string): void;
  enter(account: Account): void;
  /**
   * true while a password is being checked: lines typed meanwhile wait in the connection's input
   * queue, and run (here, or in the game) once the answer is in.
   */
  hold(held: boolean): void;
  /** The remote address: wrong passwords are counted per address across both doors. */
  readonly address: string;
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
    if (s.kind === 'done' || s.kind === 'waiting') return;
    // Names and answers are text like any other; passwords are taken as typed (Password refuses
    // control characters in a new one), so that what was chosen is what is checked.
    const input = cleanText(text).trim();
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
    switch (this.game.accounts.nameState(input)) {
      case 'invalid':
        this.port.say(sentence(problemWith(PlayerName, input) ?? 'that name will not do'));
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
      return this.port.prompt(CHOOSE_PASSWORD);
    }
    if (answer.startsWith('n')) {
      this.state = { kind: 'name' };
      return this.port.prompt('Then by what name are you known? ');
    }
    this.port.prompt(`Create ${displayName(name)}? Please answer y or n: (y/n) `);
  }

  private onChoose(name: string, password: string): void {
    this.port.say('');
    const weak = problemWith(Password, password);
    if (weak) {
      this.port.say(sentence(weak));
      return this.port.prompt(CHOOSE_PASSWORD);
    }
    this.state = { kind: 'repeat', name, password };
    this.port.prompt('Repeat the password: ');
  }

  private async onRepeat(name: string, password: string, again: string): Promise<void> {
    this.port.say('');
    if (again !== password) {
      this.state = { kind: 'choose', name };
      this.port.say('The passwords differ.');
      return this.port.prompt(CHOOSE_PASSWORD);
    }
    this.wait();
    const result = await this.game.accounts.register(name, password);
    if (this.state.kind !== 'waiting') return; // closed meanwhile
    if (!result.ok) {
      this.port.hideInput(false);
      this.port.say(result.reason);
      if (result.code === 'closing') return this.finish(() => this.port.close(result.reason));
      this.state = { kind: 'name' };
      this.port.prompt('By what name are you known? ');
      return this.port.hold(false);
    }
    this.port.hideInput(false);
    this.port.log('registered', { player: result.account.name });
    this.finish(() => this.port.enter(result.account));
  }

  private async onPassword(name: string, tries: number, password: string): Promise<void> {
    this.port.say('');
    this.wait();
    const result = await this.game.accounts.authenticate(name, password, this.port.address);
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
      return this.port.hold(false);
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

  private wait(): void {
    this.state = { kind: 'waiting' };
    this.port.hold(true);
  }

  /** The dialogue is over: `then` closes the connection or enters the game, then held lines run. */
  private finish(then: () => void): void {
    this.state = { kind: 'done' };
    then();
    this.port.hold(false);
  }
}
