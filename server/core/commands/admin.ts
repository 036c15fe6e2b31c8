// The sysop's commands inside the game. `role: 'admin'` keeps them out of everyone else's reach
// and sight: a player typing one gets exactly the answer to an unknown word. Each is a thin shell
// over core/moderation.ts, which the HTTP admin API uses too.
import {
  DEFAULT_GRACE_S,
  MAX_GRACE_S,
  banAccount,
  broadcast,
  gotoRoom,
  kickPlayer,
  reloadWorld,
  onlinePlayers,
  requestShutdown,
  unbanAccount,
} from '../moderation.js';
import type { Command, CommandContext } from './command.js';
import { idle } from './who.js';

/** `NAME rest of the line` -> name and an optional reason. */
function nameAndReason(args: string): { name: string; reason: string | undefined } {
  const m = /^(\S+)\s*(.*)$/s.exec(args);
  return { name: m?.[1] ?? '', reason: m?.[2]?.trim() || undefined };
}

function isSelf(ctx: CommandContext, name: string): boolean {
  return name.toLowerCase() === ctx.player.name.toLowerCase();
}

const adminWho: Command = {
  name: '@who',
  usage: '@who',
  help: 'Everyone in the game, with room, door, address and idle time.',
  role: 'admin',
  run(ctx) {
    const now = Date.now();
    const rows = onlinePlayers(ctx.game, now).map((p) => {
      const status = p.status === 'online' ? '' : ` (${p.status})`;
      return `  ${(p.name + status).padEnd(24)} ${p.roomName.slice(0, 28).padEnd(28)} ${(p.door ?? '-').padEnd(6)} ${(p.address ?? '-').padEnd(22)} idle ${idle(p.idleS * 1000)}`;
    });
    ctx.reply([`${rows.length} online:`, `  ${'NAME'.padEnd(24)} ${'ROOM'.padEnd(28)} ${'DOOR'.padEnd(6)} ${'ADDRESS'.padEnd(22)} IDLE`, ...rows].join('\n'));
  },
};

const adminKick: Command = {
  name: '@kick',
  usage: '@kick NAME [REASON]',
  help: 'Disconnect a player (their character is saved).',
  role: 'admin',
  run(ctx) {
    const { name, reason } = nameAndReason(ctx.args);
    if (!name) return ctx.reply('Kick whom? (@kick NAME [REASON])');
    if (isSelf(ctx, name)) return ctx.reply('You cannot kick yourself; type "quit" to leave.');
    ctx.reply(kickPlayer(ctx.game, name, ctx.player.name, reason).message);
  },
};

const adminBan: Command = {
  name: '@ban',
  usage: '@ban NAME [REASON]',
  help: 'Ban an account from logging in, and remove the player if online.',
  role: 'admin',
  run(ctx) {
    const { name, reason } = nameAndReason(ctx.args);
    if (!name) return ctx.reply('Ban whom? (@ban NAME [REASON])');
    if (isSelf(ctx, name)) return ctx.reply('You cannot ban yourself.');
    ctx.reply(banAccount(ctx.game, name, ctx.player.name, reason).message);
  },
};

const adminUnban: Command = {
  name: '@unban',
  usage: '@unban NAME',
  help: 'Lift a ban.',
  role: 'admin',
  run(ctx) {
    const { name } = nameAndReason(ctx.args);
    if (!name) return ctx.reply('Unban whom? (@unban NAME)');
    ctx.reply(unbanAccount(ctx.game, name, ctx.player.name).message);
  },
};

const adminBroadcast: Command = {
  name: '@broadcast',
  usage: '@broadcast TEXT',
  help: 'A message to everyone in the game.',
  role: 'admin',
  run(ctx) {
    if (!ctx.args) return ctx.reply('Broadcast what? (@broadcast TEXT)');
    const sent = broadcast(ctx.game, ctx.args, ctx.player.name, ctx.player);
    if (!sent.ok) ctx.reply('Broadcast what? (@broadcast TEXT)');
  },
};

const adminGoto: Command = {
  name: '@goto',
  usage: '@goto ROOM_ID',
  help: 'Step straight into a room, by its id.',
  role: 'admin',
  run(ctx) {
    if (!ctx.args) return ctx.reply('Go to which room? (@goto ROOM_ID)');
    // On a move the new room view is the answer; only a refusal needs words.
    const result = gotoRoom(ctx.game, ctx.player, ctx.args, ctx.player.name);
    if (!result.ok || !result.moved) ctx.reply(result.message);
  },
};

const adminReload: Command = {
  name: '@reload',
  usage: '@reload',
  help: 'Read the world file again and put it in place, with everyone in it.',
  role: 'admin',
  run(ctx) {
    ctx.reply(reloadWorld(ctx.game, ctx.player.name).message);
  },
};

const adminShutdown: Command = {
  name: '@shutdown',
  usage: '@shutdown [SECONDS]',
  help: `Warn everyone, save everyone, stop the server (default ${DEFAULT_GRACE_S} seconds).`,
  role: 'admin',
  run(ctx) {
    const grace = ctx.args ? Number(ctx.args) : DEFAULT_GRACE_S;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_S) {
      return ctx.reply(`Seconds must be a whole number from 0 to ${MAX_GRACE_S}.`);
    }
    ctx.reply(requestShutdown(ctx.game, grace, ctx.player.name).message);
  },
};

export const adminCommands: Command[] = [adminWho, adminKick, adminBan, adminUnban, adminBroadcast, adminGoto, adminReload, adminShutdown];
