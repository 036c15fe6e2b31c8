// MSSP (option 70): the server's status for MUD listings and crawlers. On DO MSSP we send
// IAC SB MSSP (MSSP_VAR name MSSP_VAL value)... IAC SE; a crawler that types "MSSP-REQUEST" at the
// login prompt instead gets the same variables as tab-separated text (the plain-text form).
import type { Logger } from 'pino';
import { OPT } from './codes.js';
import type { TelnetExtension } from './connection.js';
import { subnegotiation } from './parser.js';

export const MSSP_VAR = 1;
export const MSSP_VAL = 2;

/** What changes from one request to the next, read when a client asks. */
export interface MsspStatus {
  players: number;
  /** Unix time (seconds) the server started. */
  startedAt: number;
  port: number;
  areas: number;
  rooms: number;
  contact?: string;
  website?: string;
}

export type MsspVariables = Array<[name: string, value: string]>;

/** The official variables (tintin.mudhalla.net/protocols/mssp) and a few widely read extended ones. */
export function msspVariables(s: MsspStatus): MsspVariables {
  const vars: MsspVariables = [
    ['NAME', 'MythosMUD'],
    ['PLAYERS', String(s.players)],
    ['UPTIME', String(s.startedAt)],
    ['CRAWL DELAY', '-1'],
    ['PORT', String(s.port)],
    ['CODEBASE', 'MythosMUD'],
  ];
  if (s.contact) vars.push(['CONTACT', s.contact]);
  if (s.website) vars.push(['WEBSITE', s.website]);
  vars.push(
    ['LANGUAGE', 'English'],
    ['MINIMUM AGE', '0'],
    ['FAMILY', 'Custom'],
    ['GENRE', 'Horror'],
    ['SUBGENRE', 'Lovecraftian'],
    ['GAMEPLAY', 'Social'],
    ['GAMESYSTEM', 'None'],
    ['STATUS', 'Alpha'],
    ['AREAS', String(s.areas)],
    ['ROOMS', String(s.rooms)],
    ['HELPFILES', '0'],
    ['MOBILES', '0'],
    ['OBJECTS', '0'],
    ['CLASSES', '0'],
    ['LEVELS', '0'],
    ['RACES', '0'],
    ['SKILLS', '0'],
    ['CHARSET', 'UTF-8'],
    ['ANSI', '1'],
    ['GMCP', '1'],
    ['MCCP', '1'],
    ['MCP', '0'],
    ['MSDP', '0'],
    ['MSP', '0'],
    ['MXP', '0'],
    ['PUEBLO', '0'],
    ['UTF-8', '1'],
    ['VT100', '0'],
    ['XTERM 256 COLORS', '1'],
    ['XTERM TRUE COLORS', '1'],
    ['SSL', '0'],
    ['PAY TO PLAY', '0'],
    ['PAY FOR PERKS', '0'],
    ['HIRING BUILDERS', '0'],
    ['HIRING CODERS', '0'],
  );
  return vars;
}

// MSSP_VAR, MSSP_VAL and NUL may not appear in a name or value (IAC cannot: UTF-8 never makes a
// 0xFF byte, and subnegotiation() would double it anyway). Tabs and line ends would break the
// plain-text form. All are dropped.
const FORBIDDEN = /[\x00-\x1f\x7f]/g;

function clean(s: string): string {
  return s.replace(FORBIDDEN, '');
}

export function encodeMssp(vars: MsspVariables): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of vars) {
    parts.push(Buffer.from([MSSP_VAR]), Buffer.from(clean(name), 'utf8'), Buffer.from([MSSP_VAL]), Buffer.from(clean(value), 'utf8'));
  }
  return subnegotiation(OPT.MSSP, Buffer.concat(parts));
}

/** The plain-text answer to "MSSP-REQUEST" (lines end in \n; the connection writes CRLF). */
export function msspText(vars: MsspVariables): string {
  const lines = ['', 'MSSP-REPLY-START', ...vars.map(([n, v]) => `${clean(n)}\t${clean(v)}`), 'MSSP-REPLY-END'];
  return lines.join('\n') + '\n';
}

export interface MsspDeps {
  write(bytes: Buffer): void;
  writeText(text: string): void;
  status(): MsspStatus;
  log: Logger;
}

export function msspOption(deps: MsspDeps): TelnetExtension {
  return {
    code: OPT.MSSP,
    local: true,
    enabled(side) {
      if (side !== 'local') return;
      deps.write(encodeMssp(msspVariables(deps.status())));
      deps.log.debug('MSSP sent');
    },
    loginLine(text) {
      if (text.trim().toUpperCase() !== 'MSSP-REQUEST') return false;
      deps.writeText(msspText(msspVariables(deps.status())));
      deps.log.debug('MSSP sent as text');
      return true;
    },
  };
}
