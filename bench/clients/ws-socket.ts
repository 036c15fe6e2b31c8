// The load generator's WebSocket client: the RFC 6455 handshake and frames on a plain TCP socket.
// Not the `ws` package: with 500 clients in one process, its per-message stream machinery was the
// load generator's largest cost, and that cost lands on every latency measured (the load generator
// reads its sockets one at a time). This one parses frames straight from the socket's chunks and
// stamps each chunk's arrival before any parsing, as the telnet client does. It speaks only what
// our server sends: unmasked frames, no extensions; it masks its own frames as a client must.
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { connectSocket, SocketReader } from './player.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_CONT = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const EMPTY = Buffer.alloc(0);

export interface RawWsHandlers {
  /** A whole message; `t` is when the chunk that completed it reached the socket. */
  message(data: Buffer, isBinary: boolean, t: number): void;
  close(): void;
}

export class RawWebSocket {
  closed = false;
  private buf: Buffer = EMPTY;
  private fragments: Buffer[] = [];
  private fragmentBinary = false;

  private constructor(
    private readonly socket: Socket,
    private readonly on: RawWsHandlers,
  ) {}

  /** Connects and completes the handshake, or rejects (bad answer, error, timeout). */
  static async open(url: string, on: RawWsHandlers, timeoutMs: number): Promise<RawWebSocket> {
    const u = new URL(url);
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    const deadline = performance.now() + timeoutMs;
    const reader = new SocketReader();
    const socket = await connectSocket(Number(u.port || 80), u.hostname, timeoutMs, reader);
    return new Promise((resolve, reject) => {
      let head = Buffer.alloc(0);
      const timer = setTimeout(() => fail(new Error('handshake timed out')), Math.max(0, deadline - performance.now()));
      const fail = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      reader.attach((chunk) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > 16 * 1024) fail(new Error('handshake answer too long'));
          return;
        }
        clearTimeout(timer);
        socket.off('error', fail);
        socket.off('close', closed);
        const lines = head.subarray(0, end).toString('latin1').split('\r\n');
        const got = lines.find((l) => l.toLowerCase().startsWith('sec-websocket-accept:'))?.slice(21).trim();
        if (!/^HTTP\/1\.1 101 /.test(lines[0] ?? '') || got !== accept) return fail(new Error(`handshake refused: ${lines[0]}`));
        const ws = new RawWebSocket(socket, on);
        reader.attach((c) => ws.onData(c, performance.now()));
        socket.on('error', () => {});
        socket.on('close', () => ws.onClose());
        resolve(ws);
        if (head.length > end + 4) ws.onData(head.subarray(end + 4), performance.now());
      });
      const closed = () => fail(new Error('closed during the handshake'));
      socket.on('error', fail);
      socket.on('close', closed);
      socket.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  /** A masked text frame; false when the socket is gone. */
  send(text: string): boolean {
    return this.sendFrame(OP_TEXT, Buffer.from(text, 'utf8'));
  }

  /** Drops the connection at once, as ws's terminate() does. */
  terminate(): void {
    this.socket.destroy();
  }

  private sendFrame(opcode: number, payload: Buffer): boolean {
    if (this.closed || this.socket.destroyed) return false;
    const n = payload.length;
    const ext = n < 126 ? 0 : n < 0x10000 ? 2 : 8;
    const frame = Buffer.allocUnsafe(2 + ext + 4 + n);
    frame[0] = 0x80 | opcode;
    if (ext === 0) frame[1] = 0x80 | n;
    else if (ext === 2) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(n, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(n), 2);
    }
    const mask = randomBytes(4);
    mask.copy(frame, 2 + ext);
    const at = 6 + ext;
    for (let i = 0; i < n; i++) frame[at + i] = payload[i]! ^ mask[i & 3]!;
    this.socket.write(frame);
    return true;
  }

  private onData(chunk: Buffer, t: number): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let at = 0;
    for (;;) {
      const b = this.buf;
      if (b.length - at < 2) break;
      const fin = (b[at]! & 0x80) !== 0;
      const opcode = b[at]! & 0x0f;
      let len = b[at + 1]! & 0x7f;
      let head = 2;
      if (len === 126) {
        if (b.length - at < 4) break;
        len = b.readUInt16BE(at + 2);
        head = 4;
      } else if (len === 127) {
        if (b.length - at < 10) break;
        len = Number(b.readBigUInt64BE(at + 2));
        head = 10;
      }
      if ((b[at + 1]! & 0x80) !== 0) return this.protocolError(); // a server must not mask
      if (b.length - at < head + len) break;
      const payload = b.subarray(at + head, at + head + len);
      at += head + len;
      this.onFrame(fin, opcode, payload, t);
      if (this.closed) return;
    }
    // What is left is part of a frame: copied, since a chunk is a view into the shared read buffer.
    this.buf = at === this.buf.length ? EMPTY : Buffer.from(this.buf.subarray(at));
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer, t: number): void {
    switch (opcode) {
      case OP_TEXT:
      case OP_BINARY:
        if (fin) return this.on.message(payload, opcode === OP_BINARY, t);
        this.fragments = [Buffer.from(payload)];
        this.fragmentBinary = opcode === OP_BINARY;
        return;
      case OP_CONT:
        this.fragments.push(Buffer.from(payload));
        if (fin) {
          const whole = Buffer.concat(this.fragments);
          this.fragments = [];
          this.on.message(whole, this.fragmentBinary, t);
        }
        return;
      case OP_PING:
        this.sendFrame(0xa, Buffer.from(payload));
        return;
      case OP_CLOSE:
        // Echo the close, then the server ends the TCP connection.
        this.sendFrame(OP_CLOSE, Buffer.from(payload.subarray(0, 2)));
        this.socket.end();
        return;
      default:
        return; // pong, or reserved
    }
  }

  private protocolError(): void {
    this.socket.destroy();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.on.close();
  }
}
