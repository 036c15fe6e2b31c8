// --plain: no panel, no redraws, no colours. Every event is one or more lines of plain text on
// stdout, input is read line by line from stdin. For screen readers (many MUD players are blind)
// and for piping: `printf 'look\n' | MYTHOS_PASSWORD=... mythos --plain --name Armitage`.
import { createInterface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';
import type { Envelope } from '../../shared/protocol.js';
import { MythosClient, type Backoff, type ConnectionStatus } from './client.js';
import type { GameConnection } from './controller.js';
import { HELP_LINES, tooLong } from './controller.js';
import { utf8Length, withinLineLimit } from '../../shared/protocol.js';
import { linesOf } from './format.js';
import { authErrorText, authFailed, initialLogin, isSecret, prompt, submitLogin, type LoginState } from './login.js';
import { secondsUntil } from './StatusLine.js';

export interface PlainOptions {
  url: string;
  name?: string;
  password?: string;
  input: Readable & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  /** A connection to use instead of a new MythosClient (tests). */
  connection?: GameConnection;
  backoff?: Partial<Backoff>;
}

/** Lines typed before the login finished (piped input): kept, within reason, and sent after it. */
const MAX_QUEUED = 200;
/** With its input finished and no login yet, plain mode stops retrying after this many failures. */
const GIVE_UP_AFTER = 3;

export function runPlain(opts: PlainOptions): Promise<number> {
  const { output } = opts;
  const connection = opts.connection ?? new MythosClient({ url: opts.url, ...(opts.backoff ? { backoff: opts.backoff } : {}) });
  const say = (text: string) => output.write(`${text}\n`);

  // Typing a password on a terminal must not echo: readline writes its echo through this gate.
  let muted = false;
  const echo = new Writable({
    write(chunk, _enc, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: opts.input, output: echo, terminal: opts.input.isTTY === true });

  let login: LoginState = initialLogin(opts.name, opts.password).state;
  let inGame = false;
  let selfId: string | null = null;
  let inputEnded = false;
  const queued: string[] = [];
  let finished = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));

  const finish = (code: number) => {
    if (finished) return;
    finished = true;
    rl.close();
    connection.close();
    resolveDone(code);
  };

  const ask = () => {
    if (inGame || login.step === 'waiting') return;
    if (login.error) say(login.error);
    say(prompt(login));
    muted = isSecret(login);
  };

  const quit = () => {
    if (finished) return;
    void connection.quit().then(() => finish(0));
  };

  const gameLine = (line: string) => {
    const text = line.trim();
    if (text === '') return;
    if (text.startsWith('/')) {
      const word = text.slice(1).split(/\s+/)[0]!.toLowerCase();
      if (word === 'quit' || word === 'q') return quit();
      if (word === 'help' || word === '?') return HELP_LINES.forEach((l) => say(l.text));
      if (word === 'clear') return;
      return say(`There is no local command ${text.split(/\s+/)[0]}. Local commands: /help, /quit.`);
    }
    if (!withinLineLimit(text)) return say(tooLong(utf8Length(text)));
    if (!connection.command(text)) say('Not connected: that was not sent. Wait for the reconnect and try again.');
  };

  let lastStatus: ConnectionStatus = { state: 'connecting', attempt: 0 };
  const onStatus = (status: ConnectionStatus) => {
    const prev = lastStatus;
    lastStatus = status;
    switch (status.state) {
      case 'reconnecting':
        if (!inGame && inputEnded && status.attempt > GIVE_UP_AFTER) {
          // Nobody is there to type, and nothing to log in to: a script must not hang forever.
          say(`Cannot reach the server: ${status.reason}. Giving up.`);
          finish(1);
          break;
        }
        if (prev.state === 'connected' || !inGame) {
          const wait = secondsUntil(status.retryAt, Date.now());
          const why = status.reason.replace(/\.$/, '');
          say(inGame ? `Connection lost: ${why}. Reconnecting in ${wait} s.` : `Cannot reach the server: ${why}. Trying again in ${wait} s.`);
        }
        break;
      case 'connected':
        if (prev.state !== 'connecting' || prev.attempt > 0) say(inGame ? 'Reconnected.' : `Connected to ${opts.url}.`);
        break;
      case 'offline':
        if (!finished) {
          say(`Disconnected: ${status.reason}`);
          finish(inGame ? 0 : 1);
        }
        break;
      case 'connecting':
        break;
    }
  };

  const onEnvelope = (env: Envelope, authCode: string | null) => {
    if (env.event_type === 'auth_error' && inGame) {
      // The automatic login after a reconnect was refused (a new password, a ban): ask again.
      inGame = false;
    }
    if (env.event_type === 'auth_error' && !inGame) {
      login = authFailed(login, { ...env.data, code: authCode });
      if (inputEnded) {
        say(login.error ?? authErrorText(env.data));
        return finish(1);
      }
      return ask();
    }
    if (env.event_type === 'auth_ok') {
      inGame = true;
      muted = false;
      selfId = env.data.player.id;
    }
    if (env.event_type === 'game_state') selfId = env.data.player.id;
    for (const line of linesOf(env, selfId)) say(line.text);
    if (env.event_type === 'auth_ok') {
      for (const line of queued.splice(0)) gameLine(line);
      if (inputEnded) quit();
    }
  };

  connection.on({ envelope: onEnvelope, status: onStatus });

  rl.on('line', (line) => {
    if (finished) return;
    if (inGame) return gameLine(line);
    if (login.step === 'waiting') {
      if (queued.length < MAX_QUEUED) queued.push(line);
      return;
    }
    muted = false;
    const r = submitLogin(login, line);
    login = r.state;
    if (r.auth) connection.authenticate(r.auth);
    else ask();
  });
  rl.on('close', () => {
    inputEnded = true;
    if (finished) return;
    // End of input (Ctrl+D, or the end of a pipe): leave the game like /quit, once logged in.
    if (inGame) quit();
    else if (login.step !== 'waiting') finish(1);
  });

  connection.start();
  if (login.step === 'waiting') connection.authenticate({ kind: 'login', name: login.name, password: login.password });
  else ask();
  return done;
}
