// The input line: a prompt, the text with a visible cursor, scrolled sideways when it is longer
// than the screen is wide. `secret` draws stars instead of the text (passwords).
import { Text } from 'ink';
import { withinLineLimit } from '../../shared/protocol.js';
import type { EditorState } from './editor.js';

export interface InputLineProps {
  editor: EditorState;
  width: number;
  prompt?: string;
  secret?: boolean;
  active?: boolean;
}

export function InputLine({ editor, width, prompt = '> ', secret = false, active = true }: InputLineProps) {
  let chars = Array.from(editor.text);
  if (secret) chars = chars.map(() => '*');
  const avail = Math.max(1, width - prompt.length - 1);
  // Keep the cursor in view: the window ends at the cursor when the text is longer than the line.
  const start = Math.max(0, Math.min(editor.cursor - avail + 1, chars.length - avail + 1));
  const visible = chars.slice(start, start + avail);
  const cursorAt = editor.cursor - start;
  const before = visible.slice(0, cursorAt).join('');
  const at = visible[cursorAt] ?? ' ';
  const after = visible.slice(cursorAt + 1).join('');
  // Over the limit the prompt turns red: Enter will refuse the line rather than send it cut.
  const over = !secret && !withinLineLimit(editor.text);
  return (
    <Text wrap="truncate-end">
      <Text color={over ? 'red' : 'cyan'} bold>
        {prompt}
      </Text>
      {before}
      {active ? <Text inverse>{at}</Text> : at}
      {after}
    </Text>
  );
}
