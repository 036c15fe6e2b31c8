// The TUI app for the end-to-end suites: the real App, controller and WebSocket client, rendered
// with ink-testing-library, with a bounded wait for a frame and keys typed one by one.
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { App } from '../../cli/tui/App.js';
import { MythosClient, type ClientOptions } from '../../cli/tui/client.js';
import { TuiController } from '../../cli/tui/controller.js';
import { GameStore } from '../../cli/tui/store.js';

export const tick = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));

export interface TuiOptions {
  client?: Partial<ClientOptions>;
  /** --name and MYTHOS_PASSWORD. */
  name?: string;
  password?: string;
  onExit?: () => void;
}

export function renderTui(url: string, opts: TuiOptions = {}) {
  const client = new MythosClient({ url, backoff: { initialMs: 100, maxMs: 400 }, pingIntervalMs: 1000, ...opts.client });
  const store = new GameStore({ url, ...(opts.name ? { name: opts.name } : {}), ...(opts.password ? { password: opts.password } : {}) });
  const controller = new TuiController(store, client, opts.onExit);
  controller.start();
  const ink = render(<App controller={controller} size={{ columns: 120, rows: 30 }} />);
  const frame = () => stripVTControlCharacters(ink.lastFrame() ?? '');
  const waitFor = async (pred: (f: string) => boolean, what: string, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = frame();
      if (pred(f)) return f;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
      await tick(20);
    }
  };
  const type = async (text: string) => {
    for (const ch of text) {
      ink.stdin.write(ch);
      await tick();
    }
  };
  return { client, store, controller, ink, frame, waitFor, type };
}
