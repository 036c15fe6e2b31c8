// Server-to-client WebSocket text frames (RFC 6455 section 5.2), built here so that all of a
// turn's frames for one client leave as one buffer in one write. ws's own send() makes a header
// and a payload per frame, which the socket then hands to writev as a list; in the travel benchmark
// those writes were the server's largest cost. Frames from a server are never masked, and the door
// refuses permessage-deflate, so a frame is just a header and the UTF-8 text. ws still does the
// handshake, reading, pings and the closing handshake.
export function textFrames(texts: readonly string[]): Buffer {
  const sizes = texts.map((t) => Buffer.byteLength(t));
  let total = 0;
  for (const n of sizes) total += headerSize(n) + n;
  const buf = Buffer.allocUnsafe(total);
  let at = 0;
  texts.forEach((text, i) => {
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
    at += buf.write(text, at, 'utf8');
  });
  return buf;
}

function headerSize(payload: number): number {
  return payload < 126 ? 2 : payload < 0x10000 ? 4 : 10;
}
