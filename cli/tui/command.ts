// `mythos` with no subcommand: the TUI (or --plain). Ink is imported only here, when the TUI runs,
// so `mythos serve` and `mythos admin` do not pay for loading it.
import type { Command } from 'commander';

export const DEFAULT_URL = 'ws://127.0.0.1:4001/ws';

interface TuiFlags {
  url: string;
  name?: string;
  plain?: boolean;
}

function checkUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'ws:' || u.protocol === 'wss:' ? null : `--url must start with ws:// or wss:// (got ${url})`;
  } catch {
    return `--url is not a URL: ${url}`;
  }
}

export function addTuiAction(program: Command): Command {
  return program
    .option('--url <url>', `the server's WebSocket address (MYTHOS_URL)`, process.env.MYTHOS_URL ?? DEFAULT_URL)
    .option('--name <name>', 'your character (the password is read from MYTHOS_PASSWORD, if set)')
    .option('--plain', 'no panel and no redraws: one line per event, for screen readers and pipes')
    .action(async (flags: TuiFlags) => {
      const bad = checkUrl(flags.url);
      if (bad) {
        process.stderr.write(`mythos: ${bad}\n`);
        process.exit(2);
      }
      const password = process.env.MYTHOS_PASSWORD || undefined;
      const opts = { url: flags.url, ...(flags.name ? { name: flags.name } : {}), ...(password ? { password } : {}) };
      // The TUI needs a keyboard and a screen; piped in or out, plain mode is what works.
      const plain = flags.plain === true || !process.stdin.isTTY || !process.stdout.isTTY;
      if (plain) {
        const { runPlain } = await import('./plain.js');
        process.exit(await runPlain({ ...opts, input: process.stdin, output: process.stdout }));
      }
      const { runTui } = await import('./run.js');
      process.exit(await runTui(opts));
    });
}
