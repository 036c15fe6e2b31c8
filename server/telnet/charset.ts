// CHARSET (RFC 2066): how a client says it reads UTF-8. Once the client says DO CHARSET we send
// REQUEST ";UTF-8"; ACCEPTED turns UTF-8 on for it (`agreed`), REJECTED leaves it on ASCII (or on
// what its MTTS bits said). A client's own REQUEST is answered ACCEPTED if it lists UTF-8, else
// REJECTED. We never offer or accept translation tables.
import type { Logger } from 'pino';
import { OPT } from './codes.js';
import type { TelnetExtension } from './connection.js';
import { subnegotiation } from './parser.js';

export const CHARSET = {
  REQUEST: 1,
  ACCEPTED: 2,
  REJECTED: 3,
  TTABLE_IS: 4,
  TTABLE_REJECTED: 5,
  TTABLE_ACK: 6,
  TTABLE_NAK: 7,
} as const;

const TTABLE = Buffer.from('[TTABLE]', 'latin1');
const MAX_CHARSETS = 64;

export interface CharsetDeps {
  write(bytes: Buffer): void;
  /** The client agreed to UTF-8: its text is sent as UTF-8 from now on. */
  agreed(): void;
  log: Logger;
}

export interface CharsetOption extends TelnetExtension {
  /** 'UTF-8' once the client accepted it (or asked for it), 'rejected', or null while unknown. */
  readonly outcome: 'UTF-8' | 'rejected' | null;
}

function isUtf8(name: string): boolean {
  return /^utf-?8$/i.test(name.trim());
}

/**
 * The character sets of a REQUEST payload (after the REQUEST byte). The first byte is the
 * separator; a client that leaves it out (older TinTin++ sends "UTF-8" bare) is read leniently,
 * splitting on the usual separators.
 */
export function requestedCharsets(list: Buffer): string[] {
  let body = list;
  if (body.subarray(0, TTABLE.length).equals(TTABLE)) body = body.subarray(TTABLE.length + 1); // + version byte
  const text = body.toString('latin1');
  if (!text) return [];
  const first = text[0]!;
  const names = /[A-Za-z0-9]/.test(first) ? text.split(/[;, ]/) : text.slice(1).split(first);
  return names.filter((n) => n.length > 0 && n.length <= 64).slice(0, MAX_CHARSETS);
}

export function charsetOption(deps: CharsetDeps): CharsetOption {
  let outcome: CharsetOption['outcome'] = null;
  let asked = false;
  const send = (bytes: number[] | Buffer) => deps.write(subnegotiation(OPT.CHARSET, Buffer.from(bytes)));

  const receive = (payload: Buffer): void => {
    const verb = payload[0];
    const rest = payload.subarray(1);
    switch (verb) {
      case CHARSET.ACCEPTED: {
        const name = rest.toString('latin1').slice(0, 64);
        if (!asked) return deps.log.debug({ charset: name }, 'CHARSET ACCEPTED we did not ask for; ignored');
        asked = false;
        if (isUtf8(name)) {
          outcome = 'UTF-8';
          deps.agreed();
        }
        deps.log.debug({ charset: name }, 'CHARSET accepted');
        return;
      }
      case CHARSET.REJECTED:
        if (asked) {
          asked = false;
          if (outcome === null) outcome = 'rejected';
        }
        deps.log.debug('CHARSET rejected');
        return;
      case CHARSET.REQUEST: {
        const wanted = requestedCharsets(rest);
        const utf8 = wanted.find(isUtf8);
        if (utf8 === undefined) {
          deps.log.debug({ wanted }, 'CHARSET request without UTF-8; rejected');
          return send([CHARSET.REJECTED]);
        }
        outcome = 'UTF-8';
        deps.agreed();
        // The RFC's answer names the chosen set as the requester wrote it.
        return send(Buffer.concat([Buffer.from([CHARSET.ACCEPTED]), Buffer.from(utf8, 'latin1')]));
      }
      case CHARSET.TTABLE_IS:
        return send([CHARSET.TTABLE_REJECTED]);
      default:
        deps.log.debug({ verb }, 'CHARSET subnegotiation ignored');
    }
  };

  return {
    code: OPT.CHARSET,
    local: true,
    get outcome() {
      return outcome;
    },
    enabled(side) {
      if (side !== 'local') return;
      asked = true;
      send(Buffer.concat([Buffer.from([CHARSET.REQUEST]), Buffer.from(';UTF-8', 'latin1')]));
    },
    subnegotiation(payload) {
      try {
        receive(payload);
      } catch (err) {
        deps.log.debug({ err }, 'CHARSET subnegotiation failed');
      }
    },
  };
}
