// TTYPE (RFC 1091) with MTTS: the first answer is the client's name, the second its terminal
// type, the third "MTTS <bits>". We ask until an answer repeats, at most four times.
import { OPT } from './codes.js';
import type { TelnetOption } from './negotiation.js';
import { subnegotiation } from './parser.js';

const IS = 0;
const SEND = 1;

export const MTTS = {
  ANSI: 1,
  VT100: 2,
  UTF8: 4,
  COLORS_256: 8,
  SCREEN_READER: 64,
  TRUECOLOR: 256,
} as const;

export interface TerminalInfo {
  client: string | null;
  terminal: string | null;
  mtts: number | null;
}

/** How many colours to use: 0 none, 1 the 16 ANSI colours, 2 256 colours, 3 truecolour. */
export function colourLevel(info: TerminalInfo): 0 | 1 | 2 | 3 {
  if (info.mtts !== null) {
    if (info.mtts & MTTS.TRUECOLOR) return 3;
    if (info.mtts & MTTS.COLORS_256) return 2;
    return info.mtts & MTTS.ANSI ? 1 : 0;
  }
  const names = `${info.client ?? ''} ${info.terminal ?? ''}`.toLowerCase();
  if (!names.trim() || /\b(dumb|unknown)\b/.test(names)) return 0;
  if (/256|truecolor|mudlet|tintin|mushclient|cmud|zmud|blowtorch|mudrammer/.test(names)) return 2;
  if (/xterm|ansi|vt1\d\d|linux|screen|tmux|rxvt|putty|konsole|color/.test(names)) return 1;
  return 0;
}

export function ttypeOption(
  write: (bytes: Buffer) => void,
  onChange: (info: TerminalInfo) => void,
): TelnetOption & { info: TerminalInfo } {
  const info: TerminalInfo = { client: null, terminal: null, mtts: null };
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
      const mtts = /^MTTS (\d+)$/i.exec(name);
      if (answers.length === 1) info.client = name;
      else if (mtts) info.mtts = Number(mtts[1]);
      else if (!repeated) info.terminal = name;
      onChange(info);
      if (!repeated && !mtts && answers.length < 4) ask();
    },
  };
}
