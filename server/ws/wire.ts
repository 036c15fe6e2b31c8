// Server-to-client WebSocket text frames (RFC 6455 section 5.2), built here so that all of a
// turn's frames for one client leave as one buffer in one write (ws's own send() makes a header
// and a payload per frame; see docs/PERFORMANCE.md). Frames from a server are never masked, and the door
// refuses permessage-deflate, so a frame is just a header and the UTF-8 text. ws still does the
// handshake, reading, pings and the closing handshake.
//
// A frame's payload is given in pieces: a text with its UTF-8 length known, or a non-negative
// integer written as its decimal digits. An envelope is [head, sequence number, tail], with the
// lengths of head and tail worked out once per event for all its recipients (Outbound.jsonParts).
import type { TextPiece } from '../core/outbound.js';

export type Piece = TextPiece | number;

export function textFrames(payloads: ReadonlyArray<readonly Piece[]>): Buffer {
  const sizes = payloads.map(payloadSize);
  let total = 0;
  for (const n of sizes) total += headerSize(n) + n;
  const buf = Buffer.allocUnsafe(total);
  let at = 0;
  payloads.forEach((pieces, i) => {
    const n = sizes[i]!;
    buf[at++] = 0x81; // FIN, opcode 1: a whole text message
    if (n < 126) {
      buf[at++] = n;
    } else if (n < 0x10000) {
      buf[at++] = 126;
      at = buf.writeUInt16BE(n, at);
    } else {
      buf[at++] = 127;
      at = buf.writeBigUInt64BE(BigInt(n), at);
    }
    for (const p of pieces) at += typeof p === 'number' ? buf.write(String(p), at, 'latin1') : buf.write(p.text, at, p.bytes, 'utf8');
  });
  return buf;
}

/** One text as a payload: for frames that are not a shared event's (tests, one-off texts). */
export function textPayload(text: string): Piece[] {
  return [{ text, bytes: Buffer.byteLength(text) }];
}

function payloadSize(pieces: readonly Piece[]): number {
  let n = 0;
  for (const p of pieces) n += typeof p === 'number' ? digits(p) : p.bytes;
  return n;
}

function digits(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a sequence number: ${n}`);
  return String(n).length;
}

function headerSize(payload: number): number {
  return payload < 126 ? 2 : payload < 0x10000 ? 4 : 10;
}
