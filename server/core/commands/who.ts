import type { Command } from './command.js';

export function idle(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

export const who: Command = {
  name: 'who',
  usage: 'who',
  help: 'List everyone in the game.',
  run(ctx) {
    const now = Date.now();
    const players = [...ctx.game.presence.all()].sort((a, b) => a.name.localeCompare(b.name));
    const lines = players.map((p) => {
      const status = p.status === 'online' ? '' : ` (${p.status === 'linkdead' ? 'link-dead' : p.status})`;
      return `  ${(p.name + status).padEnd(32)} idle ${idle(now - p.lastActive)}`;
    });
    const count = players.length === 1 ? 'One investigator is' : `${players.length} investigators are`;
    ctx.reply([`${count} abroad in Arkham:`, ...lines].join('\n'));
  },
};

export const away: Command = {
  name: 'away',
  aliases: ['afk'],
  usage: 'away',
  help: 'Mark yourself away (again to come back).',
  run(ctx) {
    const next = ctx.player.status === 'away' ? 'online' : 'away';
    ctx.game.setStatus(ctx.player, next);
    ctx.reply(next === 'away' ? 'You are marked away.' : 'You are back.');
  },
};

export const busy: Command = {
  name: 'busy',
  usage: 'busy',
  help: 'Mark yourself busy (again to clear it).',
  run(ctx) {
    const next = ctx.player.status === 'busy' ? 'online' : 'busy';
    ctx.game.setStatus(ctx.player, next);
    ctx.reply(next === 'busy' ? 'You are marked busy.' : 'You are no longer busy.');
  },
};
