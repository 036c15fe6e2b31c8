// NAWS (RFC 1073): the client's window size, as two unsigned 16-bit numbers.
import { OPT } from './codes.js';
import type { TelnetOption } from './negotiation.js';

export function nawsOption(onResize: (width: number, height: number) => void): TelnetOption {
  return {
    code: OPT.NAWS,
    remote: true,
    subnegotiation(payload) {
      if (payload.length !== 4) return;
      onResize(payload.readUInt16BE(0), payload.readUInt16BE(2));
    },
  };
}
