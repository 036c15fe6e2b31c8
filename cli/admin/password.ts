// Getting a password into `mythos admin` without it showing on the screen or in the shell
// history: typed at a prompt that does not echo, or piped in with --password-stdin.
import { PASSWORD_MIN, Password, problemWith } from '../../shared/protocol.js';
import { AdminError } from './client.js';

const MAX_PASSWORD_BYTES = 1024;

/** The first line of standard input (for `--password-stdin`). */
export async function passwordFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n') || text.length > MAX_PASSWORD_BYTES) break;
  }
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  if (!line) throw new AdminError('no password on standard input');
  return line;
}

/** Reads one line from the terminal with echo off. Ctrl-C aborts, Backspace erases. */
export function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return Promise.reject(new AdminError('no terminal to ask for the password on: use --password-stdin'));
  }
  return new Promise((resolve, reject) => {
    // Echo goes off before the prompt shows: whatever is typed after seeing it stays hidden.
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    let value = '';
    const done = (err: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new AdminError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ' && value.length < MAX_PASSWORD_BYTES) value += ch;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The new password: from stdin, or typed twice at the terminal; checked by the server's rule. */
export async function newPassword(fromStdin: boolean): Promise<string> {
  const first = fromStdin ? await passwordFromStdin() : await promptHidden(`New password (at least ${PASSWORD_MIN} characters): `);
  // Said before it is typed twice; the server checks again with the same schema.
  const weak = problemWith(Password, first);
  if (weak) throw new AdminError(weak);
  if (fromStdin) return first;
  const again = await promptHidden('Repeat the password: ');
  if (first !== again) throw new AdminError('the passwords differ');
  return first;
}
