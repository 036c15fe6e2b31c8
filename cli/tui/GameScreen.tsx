// The game screen: the terminal with the occupants panel beside it, the input line and the
// status line. Below PANEL_MIN_WIDTH columns the panel is hidden and the terminal takes the width.
import { Box } from 'ink';
import { InputLine } from './InputLine.js';
import { OccupantsPanel } from './OccupantsPanel.js';
import { newSinceScroll, type GameState } from './state.js';
import { StatusLine } from './StatusLine.js';
import { Terminal } from './Terminal.js';

export const PANEL_MIN_WIDTH = 80;

export interface Layout {
  showPanel: boolean;
  panelWidth: number;
  terminalWidth: number;
  terminalHeight: number;
}

export function layout(width: number, height: number): Layout {
  const showPanel = width >= PANEL_MIN_WIDTH;
  const panelWidth = showPanel ? Math.min(34, Math.max(24, Math.floor(width * 0.25))) : 0;
  // One blank column between the text and the panel's border.
  const terminalWidth = Math.max(1, showPanel ? width - panelWidth - 1 : width);
  // The input line and the status line take the last two rows.
  const terminalHeight = Math.max(1, height - 2);
  return { showPanel, panelWidth, terminalWidth, terminalHeight };
}

export function GameScreen({ state, width, height }: { state: GameState; width: number; height: number }) {
  const l = layout(width, height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box flexDirection="row" height={l.terminalHeight}>
        <Terminal
          lines={state.lines}
          anchor={state.anchor}
          width={l.terminalWidth}
          height={l.terminalHeight}
          newLines={newSinceScroll(state)}
        />
        {l.showPanel && (
          <Box marginLeft={1}>
            <OccupantsPanel
              room={state.room}
              occupants={state.occupants}
              selfId={state.self?.id ?? null}
              width={l.panelWidth}
              height={l.terminalHeight}
            />
          </Box>
        )}
      </Box>
      <InputLine editor={state.input} width={width} />
      <StatusLine
        connection={state.connection}
        name={state.self?.name ?? null}
        rttMs={state.rttMs}
        width={width}
        scrolled={state.anchor !== null}
      />
    </Box>
  );
}
