// The player's own screen settings: encoding, colour, prompt. Kept with the account, so they
// follow the player to the next login; a telnet connection applies them at once.
import { Encoding, type ColourSetting, type PlayerSettings } from '../../../shared/protocol.js';
import type { Command, CommandContext } from './command.js';

/** `NAME` alone shows the setting; `NAME VALUE` sets it, if VALUE is one of `choices`. */
function setting<K extends keyof PlayerSettings>(
  ctx: CommandContext,
  key: K,
  choices: readonly PlayerSettings[K][],
  explain: (value: PlayerSettings[K]) => string,
): void {
  const usage = `${ctx.verb} ${choices.join(' | ')}`;
  const current = ctx.session.settings[key];
  if (!ctx.args) return ctx.reply(`${explain(current)}\nChange it with: ${usage}`);
  const wanted = ctx.args.toLowerCase().replace(/^utf8$/, 'utf-8').replace(/^latin1$/, 'latin-1') as PlayerSettings[K];
  if (!choices.includes(wanted)) return ctx.reply(`"${ctx.args}" is not a choice. ${usage}`);
  ctx.game.changeSettings(ctx.session, { [key]: wanted } as Partial<PlayerSettings>);
  ctx.reply(explain(wanted));
}

const ENCODINGS: Record<PlayerSettings['encoding'], string> = {
  auto: 'UTF-8 if your client agrees to it (CHARSET, or MTTS), else plain ASCII',
  'utf-8': 'UTF-8, whatever your client said',
  'latin-1': 'Latin-1 (ISO 8859-1); other characters are spelt in ASCII',
  ascii: 'plain ASCII: accents dropped (café reads cafe), anything else as ?',
};

export const encoding: Command = {
  name: 'encoding',
  aliases: ['charset'],
  usage: 'encoding [auto|utf-8|latin-1|ascii]',
  help: 'How text is sent to your telnet client: UTF-8, Latin-1 or ASCII.',
  run(ctx) {
    setting(ctx, 'encoding', Encoding.options, (v) => `Encoding: ${v} - ${ENCODINGS[v]}.`);
  },
};

const COLOURS: Record<PlayerSettings['colour'], string> = {
  auto: 'as your client says it can show (TTYPE/MTTS)',
  off: 'none',
  on: 'the 16 ANSI colours',
  '256': '256 colours',
};

const COLOUR_CHOICES: readonly ColourSetting[] = ['auto', 'on', 'off', '256'];

export const colour: Command = {
  name: 'colour',
  aliases: ['color'],
  usage: 'colour [auto|on|off|256]',
  help: 'Colour on your telnet client: on, off, 256, or auto (as your client says).',
  run(ctx) {
    // Listed by hand: the enum's own order puts "256" first (a numeric key).
    setting(ctx, 'colour', COLOUR_CHOICES, (v) => `Colour: ${v} - ${COLOURS[v]}.`);
  },
};

export const prompt: Command = {
  name: 'prompt',
  usage: 'prompt [on|off]',
  help: 'The "> " prompt after your commands on telnet: on or off.',
  run(ctx) {
    setting(ctx, 'prompt', ['on', 'off'] as const, (v) => (v === 'on' ? 'Prompt: on.' : 'Prompt: off - no "> " after your commands.'));
  },
};

export const settingsCommands: Command[] = [encoding, colour, prompt];
