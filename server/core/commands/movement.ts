// Movement: one synchronous step that leaves one room and enters the next, so no other command
// can run between the two; the new position is committed to the store before anyone is told.
import { DIRECTIONS, type Direction } from '../../world/schema.js';
import { OPPOSITE } from '../text.js';
import type { Command, CommandContext } from './command.js';

export const SHORT_DIRECTIONS: Record<string, Direction> = {
  n: 'north', s: 'south', e: 'east', w: 'west',
  ne: 'northeast', nw: 'northwest', se: 'southeast', sw: 'southwest',
  u: 'up', d: 'down',
};

export function parseDirection(word: string): Direction | undefined {
  const w = word.toLowerCase();
  if ((DIRECTIONS as readonly string[]).includes(w)) return w as Direction;
  return SHORT_DIRECTIONS[w];
}

export function move(ctx: CommandContext, dir: Direction): void {
  const { game, player } = ctx;
  const here = game.world.rooms.get(player.roomId);
  const target = here?.exits[dir];
  if (!here || !target) {
    ctx.reply(`You cannot go ${dir} from here.`);
    return;
  }
  game.moveTo(player, target, dir, OPPOSITE[dir]);
}

export const directionCommands: Command[] = DIRECTIONS.map((dir) => ({
  name: dir,
  aliases: Object.entries(SHORT_DIRECTIONS).filter(([, d]) => d === dir).map(([s]) => s),
  usage: dir,
  help: `Walk ${dir}.`,
  run: (ctx) => move(ctx, dir),
}));

export const go: Command = {
  name: 'go',
  usage: 'go DIRECTION',
  help: 'Walk in a direction: go north, go ne, go up.',
  run(ctx) {
    const dir = parseDirection(ctx.args);
    if (!dir) ctx.reply(ctx.args ? `"${ctx.args}" is not a direction. Try: ${DIRECTIONS.join(', ')}.` : 'Go where?');
    else move(ctx, dir);
  },
};
