// MCCP2 (option 86): once the client says DO, we send IAC SB MCCP2 IAC SE and everything after it,
// text and negotiation alike, goes out as one zlib stream. The connection's raw writer is swapped
// for a compressing one, so no other module needs to know. Compression is ended (Z_FINISH) when the
// client says DONT, sends IAC SB MCCP2 ... IAC SE to us, or the connection closes; writes made
// while the last compressed bytes are still on their way are held back so nothing overtakes them.
import { constants, createDeflate, type Deflate } from 'node:zlib';
import type { Logger } from 'pino';
import { IAC, OPT, SB, SE } from './codes.js';
import type { TelnetExtension } from './connection.js';

/** The part of a connection MCCP2 takes over: where its bytes go and how its output ends. */
export interface RawOutput {
  rawWrite: (bytes: Buffer) => void;
  rawEnd: () => void;
}

export interface MccpOptions {
  log: Logger;
  /** Bytes waiting for the compressor, beyond which the client is given up on (see abort). */
  maxPendingBytes: number;
  /** Called once when compression cannot go on (a backlog over the limit, a zlib error). */
  abort(reason: string): void;
  /**
   * zlib window and memory level: the memory a stream holds is about 2^(windowBits+2) +
   * 2^(memLevel+9) bytes. 13/6 is ~64 KB per client instead of zlib's ~256 KB, and MUD text
   * repeats within a screen, so the ratio hardly suffers. Any inflater reads any window size.
   */
  windowBits?: number;
  memLevel?: number;
}

export const MCCP2_START = Buffer.from([IAC, SB, OPT.MCCP2, IAC, SE]);

type Mode = 'off' | 'on' | 'finishing' | 'failed';

export interface MccpOption extends TelnetExtension {
  readonly mode: Mode;
}

export function mccpOption(out: RawOutput, opts: MccpOptions): MccpOption {
  let mode: Mode = 'off';
  let deflate: Deflate | null = null;
  let plainWrite = out.rawWrite;
  let plainEnd = out.rawEnd;
  // A burst of writes in one event-loop turn is compressed as one chunk: one zlib call and one
  // sync flush per burst, instead of one per write.
  let burst: Buffer[] = [];
  let burstBytes = 0;
  let flushScheduled = false;
  // Plain bytes written while the compressed stream is being finished, and whether the
  // connection asked to end meanwhile.
  let held: Buffer[] = [];
  let heldBytes = 0;
  let endWhenFinished = false;
  // DO arrived again while the last stream was being finished: start a new one after it.
  let restartWhenFinished = false;

  const start = (): void => {
    if (mode === 'finishing') restartWhenFinished = true;
    if (mode !== 'off') return;
    plainWrite = out.rawWrite;
    plainEnd = out.rawEnd;
    plainWrite(MCCP2_START);
    const stream = createDeflate({
      // Every write ends in a sync flush, so the client can show what it has at once.
      flush: constants.Z_SYNC_FLUSH,
      windowBits: opts.windowBits ?? 13,
      memLevel: opts.memLevel ?? 6,
    });
    stream.on('data', (chunk: Buffer) => {
      if (deflate === stream) plainWrite(chunk);
    });
    stream.on('end', () => {
      if (deflate === stream) finished();
    });
    stream.on('error', (err) => {
      if (deflate === stream) fail(`compression failed: ${err.message}`);
    });
    deflate = stream;
    mode = 'on';
    out.rawWrite = compress;
    out.rawEnd = () => stop(true);
    opts.log.debug('MCCP2 compression started');
  };

  const compress = (bytes: Buffer): void => {
    if (mode !== 'on') return;
    burst.push(bytes);
    burstBytes += bytes.length;
    if (burstBytes > opts.maxPendingBytes) return fail('output backlog over the limit');
    if (flushScheduled) return;
    flushScheduled = true;
    // Twice: the connection writes its prompt in a setImmediate of the same burst, and this way
    // the prompt joins the burst's one flush instead of needing a second.
    setImmediate(() => setImmediate(flush));
  };

  const flush = (): void => {
    flushScheduled = false;
    if (mode !== 'on' || !deflate || burstBytes === 0) return;
    const chunk = burst.length === 1 ? burst[0]! : Buffer.concat(burst, burstBytes);
    burst = [];
    burstBytes = 0;
    deflate.write(chunk);
    if (deflate.writableLength > opts.maxPendingBytes) fail('compressor backlog over the limit');
  };

  /** Ends the compressed stream cleanly (Z_FINISH); `thenEnd`: end the connection after it. */
  const stop = (thenEnd: boolean): void => {
    if (thenEnd) endWhenFinished = true;
    if (mode === 'failed') {
      if (thenEnd) plainEnd();
      return;
    }
    restartWhenFinished = false;
    if (mode !== 'on' || !deflate) return;
    flush();
    if (mode !== 'on') return; // flush may have failed
    mode = 'finishing';
    out.rawWrite = hold;
    out.rawEnd = () => {
      endWhenFinished = true;
    };
    deflate.end();
  };

  const hold = (bytes: Buffer): void => {
    held.push(bytes);
    heldBytes += bytes.length;
    if (heldBytes > opts.maxPendingBytes) fail('output backlog over the limit');
  };

  const finished = (): void => {
    deflate = null;
    mode = 'off';
    out.rawWrite = plainWrite;
    out.rawEnd = plainEnd;
    const pending = held;
    held = [];
    heldBytes = 0;
    opts.log.debug('MCCP2 compression ended');
    for (const bytes of pending) plainWrite(bytes);
    if (endWhenFinished) {
      endWhenFinished = false;
      restartWhenFinished = false;
      plainEnd();
    } else if (restartWhenFinished) {
      restartWhenFinished = false;
      start();
    }
  };

  const release = (): void => {
    const stream = deflate;
    deflate = null;
    burst = [];
    burstBytes = 0;
    held = [];
    heldBytes = 0;
    stream?.destroy();
  };

  const fail = (reason: string): void => {
    if (mode === 'failed') return;
    opts.log.warn({ reason }, 'MCCP2 stopped; disconnecting');
    mode = 'failed';
    release();
    // The client's inflater is mid-stream: plain bytes now would be garbage to it.
    out.rawWrite = () => {};
    out.rawEnd = plainEnd;
    if (endWhenFinished) plainEnd(); // the connection had already asked to end
    opts.abort(reason);
  };

  return {
    code: OPT.MCCP2,
    local: true,
    get mode() {
      return mode;
    },
    enabled(side) {
      if (side === 'local') start();
    },
    disabled(side) {
      if (side === 'local') stop(false);
    },
    // MCCP2 defines no subnegotiation from the client; we take one as "please stop".
    subnegotiation() {
      stop(false);
    },
    closed() {
      if (mode === 'on' || mode === 'finishing') {
        out.rawWrite = plainWrite;
        out.rawEnd = plainEnd;
        mode = 'off';
      }
      release();
    },
  };
}
