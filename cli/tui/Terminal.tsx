// The scrolling game output: the newest line at the bottom, each row styled by its line's kind,
// and a marker row while scrolled back so that lines arriving meanwhile are not missed.
import { Box, Text } from 'ink';
import type { Line } from './viewport.js';
import { viewport } from './viewport.js';
import { LINE_STYLES } from './styles.js';

export interface TerminalProps {
  lines: readonly Line[];
  anchor: number | null;
  width: number;
  height: number;
  /** Lines that arrived since the player scrolled back. */
  newLines: number;
}

export function Terminal({ lines, anchor, width, height, newLines }: TerminalProps) {
  const scrolled = anchor !== null;
  const textHeight = Math.max(0, scrolled ? height - 1 : height);
  const view = viewport(lines, anchor, width, textHeight);
  return (
    <Box flexDirection="column" width={width} height={height} justifyContent="flex-end" overflow="hidden">
      {view.rows.map((row) => (
        <Text key={row.key} wrap="truncate-end" {...LINE_STYLES[row.kind]}>
          {row.text === '' ? ' ' : row.text}
        </Text>
      ))}
      {scrolled && (
        <Text inverse wrap="truncate-end">
          {` -- scrolled back -- ${newLines} new line${newLines === 1 ? '' : 's'} (PgDn, Esc to return) `}
        </Text>
      )}
    </Box>
  );
}
