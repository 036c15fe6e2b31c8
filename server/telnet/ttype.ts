// TTYPE (RFC 1091) with MTTS: the first answer is the client's name, the later ones its terminal
// types, and an MTTS client's third is "MTTS <bits>". We ask until an answer repeats (the RFC's
// end of the list), at most MAX_ASKS times. What the client can show is the richest thing any
// answer said: TinyFugue answers TINYFUGUE, ANSI-ATTR, ANSI, then UNKNOWN, and the last word must
// not take away the colour the second and third promised. An MTTS bitfield, when given, decides.
import { OPT } from './codes.js';
import type { TelnetOption } from './negotiation.js';
import { subnegotiation } from './parser.js';

const IS = 0;
const SEND = 1;
const MAX_ASKS = 8;

export const MTTS = {
  ANSI: 1,
  VT100: 2,
  UTF8: 4,
  COLORS_256: 8,
  SCREEN_READER: 64,
  TRUECOLOR: 256,
} as const;

export interface TerminalInfo {
  /** The first answer: the client's name. */
  client: string | null;
  /** Every other answer, in order, repeats left out (the MTTS one included). */
  terminals: string[];
  /** The MTTS bitfield, once an answer gave one. */
  mtts: number | null;
}

export type ColourLevel = 0 | 1 | 2 | 3;

/** What one name says about colour: -1 nothing, else the level it promises. */
function nameLevel(name: string): ColourLevel | -1 {
  const n = name.toLowerCase();
  if (/truecolor|24bit|direct/.test(n)) return 3;
  if (/256|mudlet|tintin|mushclient|cmud|zmud|blowtorch|mudrammer/.test(n)) return 2;
  if (/xterm|ansi|vt1\d\d|linux|screen|tmux|rxvt|putty|konsole|color|tinyfugue/.test(n)) return 1;
  return -1;
}

/** How many colours to use: 0 none, 1 the 16 ANSI colours, 2 256 colours, 3 truecolour. */
export function colourLevel(info: TerminalInfo): ColourLevel {
  if (info.mtts !== null) {
    if (info.mtts & MTTS.TRUECOLOR) return 3;
    if (info.mtts & MTTS.COLORS_256) return 2;
    return info.mtts & MTTS.ANSI ? 1 : 0;
  }
  let best: ColourLevel = 0;
  for (const name of [info.client ?? '', ...info.terminals]) best = Math.max(best, nameLevel(name)) as ColourLevel;
  return best;
}

/** Whether the client said it shows UTF-8: the MTTS bit, or a terminal type that names it. */
export function saysUtf8(info: TerminalInfo): boolean {
  if (info.mtts !== null) return (info.mtts & MTTS.UTF8) !== 0;
  return info.terminals.some((t) => /utf-?8/i.test(t));
}

export function ttypeOption(
  write: (bytes: Buffer) => void,
  onChange: (info: TerminalInfo) => void,
): TelnetOption & { info: TerminalInfo } {
  const info: TerminalInfo = { client: null, terminals: [], mtts: null };
  const answers: string[] = [];
  const ask = () => write(subnegotiation(OPT.TTYPE, Buffer.from([SEND])));
  return {
    code: OPT.TTYPE,
    remote: true,
    info,
    enabled: (side) => {
      if (side === 'remote') ask();
    },
    subnegotiation(payload) {
      if (payload[0] !== IS) return;
      const name = payload.subarray(1, 65).toString('latin1').replace(/[^\x20-\x7e]/g, '');
      const repeated = answers.includes(name);
      answers.push(name);
      if (answers.length === 1) info.client = name;
      else if (!repeated) {
        info.terminals.push(name);
        const mtts = /^MTTS (\d+)$/i.exec(name);
        if (mtts) info.mtts = Number(mtts[1]);
      }
      onChange(info);
      if (!repeated && answers.length < MAX_ASKS) ask();
    },
  };
}
