// The command table and the dispatcher: one line in, one command run (or a hint).
import type { Game } from '../game.js';
import type { PresentPlayer } from '../presence.js';
import type { PlayerSession } from '../session.js';
import { adminCommands } from './admin.js';
import type { Command, CommandContext } from './command.js';
import { exits, look } from './look.js';
import { directionCommands, go } from './movement.js';
import { quit } from './quit.js';
import { settingsCommands } from './settings.js';
import { chat, emote, say, tell } from './speech.js';
import { away, busy, who } from './who.js';

const help: Command = {
  name: 'help',
  aliases: ['?', 'commands'],
  usage: 'help [COMMAND]',
  help: 'List the commands, or explain one.',
  run(ctx) {
    const visible = COMMANDS.filter((c) => !c.role || c.role === ctx.player.role);
    if (ctx.args) {
      const c = lookup(ctx.args.split(/\s+/)[0]!.toLowerCase(), ctx.player);
      if (!c) return ctx.reply(`There is no command "${ctx.args}". Type "help" for the list.`);
      const aliases = c.aliases?.length ? `\nAlso: ${c.aliases.join(', ')}` : '';
      return ctx.reply(`${c.usage}\n  ${c.help}${aliases}`);
    }
    const lines = visible
      .filter((c) => !directionCommands.includes(c))
      .map((c) => `  ${c.usage.padEnd(22)} ${c.help}`);
    ctx.reply(
      [
        'Commands:',
        ...lines,
        `  ${'n s e w ne nw se sw u d'.padEnd(22)} Walk in a direction (or north, south, ... in full).`,
        'Type "help COMMAND" for more on one.',
      ].join('\n'),
    );
  },
};

const COMMANDS: Command[] = [look, exits, go, ...directionCommands, say, emote, tell, chat, who, away, busy, ...settingsCommands, help, quit, ...adminCommands];

const TABLE = new Map<string, Command>();
for (const c of COMMANDS) {
  for (const word of [c.name, ...(c.aliases ?? [])]) {
    if (TABLE.has(word)) throw new Error(`command word "${word}" is used twice`);
    TABLE.set(word, c);
  }
}

function lookup(word: string, player: PresentPlayer): Command | undefined {
  const c = TABLE.get(word);
  return c && (!c.role || c.role === player.role) ? c : undefined;
}

/** Splits `say hi`, `'hi` and `:waves` into a verb and its arguments. */
export function parseLine(line: string): { verb: string; args: string } {
  const text = line.trim();
  const punct = /^(['":])\s*(.*)$/s.exec(text);
  if (punct) return { verb: punct[1] === '"' ? "'" : punct[1]!, args: punct[2]!.trim() };
  const m = /^(\S+)\s*(.*)$/s.exec(text);
  return m ? { verb: m[1]!.toLowerCase(), args: m[2]!.trim() } : { verb: '', args: '' };
}

export function dispatch(game: Game, session: PlayerSession, player: PresentPlayer, line: string): void {
  const { verb, args } = parseLine(line);
  if (!verb) return; // an empty line just gets a fresh prompt from the door
  const command = lookup(verb, player);
  const ctx: CommandContext = { game, session, player, args, verb, reply: (text) => game.reply(player.id, text) };
  if (!command) {
    ctx.reply(`Huh? "${verb}" is not a command here. Type "help" for the list.`);
    return;
  }
  command.run(ctx);
}
