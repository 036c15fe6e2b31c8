// Starts the TUI in the real terminal: the alternate screen (so quitting gives the player their
// shell back as it was), raw keys, and Ctrl+C handled by us (it sends `quit`, not a bare exit).
import { render, type Instance } from 'ink';
import { App } from './App.js';
import { MythosClient, type Backoff } from './client.js';
import { TuiController } from './controller.js';
import { GameStore } from './store.js';

export interface TuiOptions {
  url: string;
  name?: string;
  password?: string;
  backoff?: Partial<Backoff>;
}

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[H';
const ALT_SCREEN_OFF = '\x1b[?1049l';

export async function runTui(opts: TuiOptions): Promise<number> {
  const client = new MythosClient({ url: opts.url, ...(opts.backoff ? { backoff: opts.backoff } : {}) });
  const store = new GameStore({
    url: opts.url,
    ...(opts.name === undefined ? {} : { name: opts.name }),
    ...(opts.password === undefined ? {} : { password: opts.password }),
  });
  let ink: Instance | null = null;
  const controller = new TuiController(store, client, () => ink?.unmount());

  const alt = process.stdout.isTTY === true;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (alt) process.stdout.write(ALT_SCREEN_OFF);
  };
  if (alt) process.stdout.write(ALT_SCREEN_ON);
  // Whatever happens, the player's terminal comes back.
  process.once('exit', restore);
  const onSignal = () => void controller.quit();
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);

  ink = render(<App controller={controller} />, { exitOnCtrlC: false, patchConsole: true });
  controller.start();
  try {
    await ink.waitUntilExit();
  } finally {
    ink.cleanup();
    restore();
  }
  return 0;
}
