// Rendering helpers for the Ink component tests: an App wired to a FakeConnection, and a bounded
// wait for a frame that matches (Ink draws asynchronously; fixed sleeps would be flaky).
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { stripVTControlCharacters } from 'node:util';
import { App, type Size } from '../../../cli/tui/App.js';
import { TuiController } from '../../../cli/tui/controller.js';
import { GameStore } from '../../../cli/tui/store.js';
import { FakeConnection } from './fixtures.js';

export const KEY = {
  enter: '\r',
  backspace: '\x7f',
  up: '\u001B[A',
  down: '\u001B[B',
  left: '\u001B[D',
  right: '\u001B[C',
  home: '\u001B[H',
  end: '\u001B[F',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  escape: '\u001B',
  ctrlC: '\x03',
  ctrlD: '\x04',
  ctrlU: '\x15',
} as const;

export const tick = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));

export function renderApp(opts: { name?: string; password?: string; size?: Size } = {}) {
  const conn = new FakeConnection();
  const store = new GameStore({
    url: 'ws://127.0.0.1:4001/ws',
    ...(opts.name ? { name: opts.name } : {}),
    ...(opts.password ? { password: opts.password } : {}),
  });
  let exited = 0;
  const controller = new TuiController(store, conn, () => exited++);
  controller.start();
  const size = opts.size ?? { columns: 100, rows: 24 };
  const ink = render(createElement(App, { controller, size }));
  const frame = () => stripVTControlCharacters(ink.lastFrame() ?? '');
  return {
    ...ink,
    conn,
    store,
    controller,
    frame,
    exits: () => exited,
    resize: (s: Size) => ink.rerender(createElement(App, { controller, size: s })),
    async waitFor(pred: (frame: string) => boolean, what: string, timeoutMs = 5000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const f = frame();
        if (pred(f)) return f;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
        await tick(10);
      }
    },
    /** Types text one key at a time (each write is one keypress, as from a person). */
    async type(text: string): Promise<void> {
      for (const ch of text) {
        ink.stdin.write(ch);
        await tick();
      }
    },
    async press(key: string): Promise<void> {
      ink.stdin.write(key);
      await tick();
    },
  };
}
