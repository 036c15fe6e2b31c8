import type { Command } from './command.js';

export const quit: Command = {
  name: 'quit',
  usage: 'quit',
  help: 'Leave the game. Your character is saved where it stands.',
  run(ctx) {
    ctx.game.leave(ctx.session, 'quit', 'The shadows of Arkham release you... for now. Goodbye.');
  },
};
