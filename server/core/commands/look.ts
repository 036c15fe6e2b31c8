import { exitsLine } from '../text.js';
import type { Command } from './command.js';

export const look: Command = {
  name: 'look',
  aliases: ['l'],
  usage: 'look',
  help: 'Look around: the room, its exits, and who is here.',
  run(ctx) {
    ctx.game.sendGameState(ctx.session);
  },
};

export const exits: Command = {
  name: 'exits',
  aliases: ['ex'],
  usage: 'exits',
  help: 'List the ways out of this room and where they lead.',
  run(ctx) {
    const room = ctx.game.roomView(ctx.player.roomId);
    const lines = Object.entries(room.exits).map(([dir, id]) => `  ${dir.padEnd(10)} ${ctx.game.roomView(id).name}`);
    ctx.reply(lines.length ? [exitsLine(room), ...lines].join('\n') : 'There is no way out of here.');
  },
};
