// The shape of one command. Each command is a small module; index.ts holds the table.
import type { Game } from '../game.js';
import type { PresentPlayer } from '../presence.js';
import type { PlayerSession } from '../session.js';

export interface CommandContext {
  game: Game;
  session: PlayerSession;
  player: PresentPlayer;
  /** The text after the command word, trimmed. */
  args: string;
  /** The word the player typed (an alias or the name). */
  verb: string;
  reply(text: string): void;
}

export interface Command {
  name: string;
  aliases?: string[];
  usage: string;
  help: string;
  /** Only accounts with this role see and run it; others get the unknown-command answer. */
  role?: 'admin';
  run(ctx: CommandContext): void;
}
