// How each kind of line looks. Colour is never the only cue: the words themselves say what a line
// is (a room name stands alone, speech says who speaks), so a monochrome terminal loses nothing.
import type { LineKind } from './format.js';

export interface LineStyle {
  color?: string;
  bold?: boolean;
  italic?: boolean;
  dimColor?: boolean;
}

export const LINE_STYLES: Record<LineKind, LineStyle> = {
  room: { color: 'cyan', bold: true },
  description: {},
  exits: { color: 'green' },
  also: { color: 'yellow' },
  say: { color: 'yellowBright' },
  emote: { color: 'yellow', italic: true },
  tell: { color: 'magentaBright', bold: true },
  chat: { color: 'blueBright' },
  system: { color: 'cyan' },
  broadcast: { color: 'redBright', bold: true },
  movement: { color: 'gray' },
  output: {},
  error: { color: 'red' },
  echo: { dimColor: true },
  info: { color: 'blue', italic: true },
};
