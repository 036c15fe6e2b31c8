// The TUI: the login screen, then the game screen, sized to the terminal and redrawn when it is
// resized. All keys go through one handler into the controller, which reads the store's current
// state: no React state is captured in the handler, so no keystroke meets a stale closure.
import { useInput, useStdout } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TuiController } from './controller.js';
import { GameScreen, layout } from './GameScreen.js';
import { keyActions } from './keys.js';
import { LoginScreen } from './LoginScreen.js';
import { useGameState } from './store.js';

export interface Size {
  columns: number;
  rows: number;
}

function sizeOf(stdout: NodeJS.WriteStream): Size {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

/** The terminal's size, following resizes. */
export function useTerminalSize(): Size {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export interface AppProps {
  controller: TuiController;
  /** Fixed size (tests); by default the terminal's, minus one row so Ink never scrolls the screen. */
  size?: Size;
}

export function App({ controller, size }: AppProps) {
  const state = useGameState(controller.store);
  const terminal = useTerminalSize();
  const columns = size?.columns ?? terminal.columns;
  const rows = size?.rows ?? Math.max(3, terminal.rows - 1);
  const view = useRef({ width: 80, height: 20 });
  const l = layout(columns, rows);
  view.current = { width: l.terminalWidth, height: l.terminalHeight };

  const onInput = useCallback(
    (input: string, key: Parameters<typeof keyActions>[1]) => controller.keys(keyActions(input, key), view.current),
    [controller],
  );
  useInput(onInput);

  if (state.phase === 'login') {
    return (
      <LoginScreen
        url={state.url}
        login={state.login}
        input={state.loginInput}
        connection={state.connection}
        width={columns}
        height={rows}
      />
    );
  }
  return <GameScreen state={state} width={columns} height={rows} />;
}
