import type { Command } from './command.js';

export const say: Command = {
  name: 'say',
  aliases: ["'"],
  usage: 'say TEXT',
  help: 'Speak to everyone in the room. Short form: \'TEXT',
  run(ctx) {
    if (!ctx.args) return ctx.reply('Say what?');
    const { player } = ctx;
    ctx.game.bus.publish('PlayerSpoke', {
      channel: 'say', playerId: player.id, name: player.name, roomId: player.roomId, to: null, text: ctx.args,
    });
  },
};

export const emote: Command = {
  name: 'emote',
  aliases: [':', 'me'],
  usage: 'emote TEXT',
  help: 'Act something out: "emote shivers" shows "Armitage shivers". Short form: :TEXT',
  run(ctx) {
    if (!ctx.args) return ctx.reply('Emote what?');
    const { player } = ctx;
    ctx.game.bus.publish('PlayerSpoke', {
      channel: 'emote', playerId: player.id, name: player.name, roomId: player.roomId, to: null, text: ctx.args,
    });
  },
};

export const tell: Command = {
  name: 'tell',
  aliases: ['whisper'],
  usage: 'tell NAME TEXT',
  help: 'Say something to one player, wherever they are.',
  run(ctx) {
    const m = /^(\S+)\s+(.+)$/.exec(ctx.args);
    if (!m) return ctx.reply('Tell whom what? (tell NAME TEXT)');
    const target = ctx.game.presence.findByName(m[1]!);
    if (!target) return ctx.reply(`No one called ${m[1]} is in the game.`);
    if (target.id === ctx.player.id) return ctx.reply('You mutter to yourself.');
    const { player } = ctx;
    ctx.game.bus.publish('PlayerSpoke', {
      channel: 'tell', playerId: player.id, name: player.name, roomId: null, to: target.id, text: m[2]!,
    });
  },
};

export const chat: Command = {
  name: 'chat',
  aliases: ['ooc'],
  usage: 'chat TEXT',
  help: 'Speak on the chat channel, heard by everyone in the game.',
  run(ctx) {
    if (!ctx.args) return ctx.reply('Chat what?');
    const { player } = ctx;
    ctx.game.bus.publish('PlayerSpoke', {
      channel: 'chat', playerId: player.id, name: player.name, roomId: null, to: null, text: ctx.args,
    });
  },
};
