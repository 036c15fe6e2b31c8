// How an envelope reads on a telnet client: the lines of text, coloured for clients that can show
// colour and wrapped to the window's width. Returns null for events that show nothing as text.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Envelope } from '../../shared/protocol.js';
import { alsoHereLine, exitsLine } from '../core/text.js';
import { wrap } from './wrap.js';

const palettes: ChalkInstance[] = [0, 1, 2, 3].map((level) => new Chalk({ level: level as 0 | 1 | 2 | 3 }));

export interface RenderOptions {
  colour: 0 | 1 | 2 | 3;
  /** The client's window width, or 0 for no wrapping. */
  width: number;
}

export function renderEnvelope(env: Envelope, opts: RenderOptions): string | null {
  const c = palettes[opts.colour]!;
  const w = (text: string) => (opts.width ? wrap(text, opts.width) : text);
  switch (env.event_type) {
    case 'game_state':
    case 'room_update': {
      const { room, occupants } = env.data;
      const self = env.player_id;
      const lines = [c.bold.cyan(room.name), w(room.description), c.green(w(exitsLine(room)))];
      const also = alsoHereLine(occupants.filter((o) => o.id !== self));
      if (also) lines.push(c.yellow(w(also)));
      return lines.join('\n');
    }
    case 'auth_ok':
      return env.data.message ? c.bold(w(env.data.message)) : null;
    case 'auth_error':
      return c.red(w(env.data.message));
    case 'player_entered':
    case 'player_left':
    case 'player_entered_game':
    case 'player_left_game':
    case 'presence':
      return c.yellow(w(env.data.message));
    case 'message': {
      const text = w(env.data.message);
      switch (env.data.channel) {
        case 'say':
          return c.cyan(text);
        case 'emote':
          return c.whiteBright(text);
        case 'tell':
          return c.magenta(text);
        case 'chat':
          return c.green(text);
        case 'broadcast':
          return c.bold.red(text);
        case 'system':
          return c.yellow(text);
      }
      return text;
    }
    case 'command_output':
      return w(env.data.text);
    case 'error':
      return c.red(w(env.data.message));
    case 'room_occupants':
    case 'pong':
      return null;
  }
}
