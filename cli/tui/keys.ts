// Turns what Ink's useInput reports into our key actions. Ink hands a paste (or a fast script's
// "look\r") over as ONE input with key.return false, so text is split on line ends here: each
// line end is an Enter.
import type { Key } from 'ink';
import type { EditEvent } from './editor.js';

export type KeyAction =
  | EditEvent
  | { type: 'pageUp' }
  | { type: 'pageDown' }
  | { type: 'scrollBottom' }
  | { type: 'quit' };

export function keyActions(input: string, key: Key): KeyAction[] {
  if (key.ctrl) {
    switch (input) {
      case 'c':
      case 'd':
        return [{ type: 'quit' }];
      case 'u':
        return [{ type: 'killBefore' }];
      case 'w':
        return [{ type: 'killWordBefore' }];
      case 'a':
        return [{ type: 'home' }];
      case 'e':
        return [{ type: 'end' }];
    }
  }
  if (key.return) return [{ type: 'submit' }];
  if (key.upArrow) return [{ type: 'historyPrev' }];
  if (key.downArrow) return [{ type: 'historyNext' }];
  if (key.leftArrow) return [{ type: 'left' }];
  if (key.rightArrow) return [{ type: 'right' }];
  if (key.home) return [{ type: 'home' }];
  if (key.end) return [{ type: 'end' }];
  if (key.pageUp) return [{ type: 'pageUp' }];
  if (key.pageDown) return [{ type: 'pageDown' }];
  if (key.escape) return [{ type: 'scrollBottom' }];
  // Terminals send DEL (0x7f) for the Backspace key and Ink names that `delete`; the Delete key's
  // own sequence gets the same name, so both erase to the left, as most line editors here do.
  if (key.backspace || key.delete) return [{ type: 'backspace' }];
  if (key.ctrl || key.tab || key.meta) return [];
  if (input === '') return [];
  const actions: KeyAction[] = [];
  const parts = input.split(/\r\n|\r|\n/);
  parts.forEach((part, i) => {
    if (i > 0) actions.push({ type: 'submit' });
    if (part !== '') actions.push({ type: 'insert', text: part });
  });
  return actions;
}
