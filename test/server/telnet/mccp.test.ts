import { constants, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../server/logger.js';
import { MCCP2_START, mccpOption, type RawOutput } from '../../../server/telnet/mccp.js';

/** A connection's raw output as MCCP2 sees it: what reached the "socket", and whether it ended. */
function fakeOutput() {
  const socket: Buffer[] = [];
  const state = { ended: false, endedAfterBytes: -1 };
  const out: RawOutput = {
    rawWrite: (bytes) => {
      if (state.ended) throw new Error('write after end');
      socket.push(bytes);
    },
    rawEnd: () => {
      state.ended = true;
      state.endedAfterBytes = Buffer.concat(socket).length;
    },
  };
  return { out, socket: () => Buffer.concat(socket), writes: () => socket.length, state };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const partialInflate = (bytes: Buffer) => inflateSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');

function setup(maxPendingBytes = 1 << 20) {
  const fake = fakeOutput();
  const aborts: string[] = [];
  const opt = mccpOption(fake.out, { log: silentLogger(), maxPendingBytes, abort: (r) => aborts.push(r) });
  return { ...fake, opt, aborts };
}

describe('MCCP2', () => {
  it('leaves output alone until the client says DO', () => {
    const { out, socket, opt } = setup();
    out.rawWrite(Buffer.from('plain'));
    opt.enabled!('remote');
    out.rawWrite(Buffer.from(' still'));
    expect(socket().toString()).toBe('plain still');
    expect(opt.mode).toBe('off');
    expect(opt.local).toBe(true);
  });

  it('after DO sends IAC SB MCCP2 IAC SE, then one zlib stream of everything written', async () => {
    const { out, socket, writes, opt } = setup();
    out.rawWrite(Buffer.from('before'));
    opt.enabled!('local');
    expect(socket()).toEqual(Buffer.concat([Buffer.from('before'), MCCP2_START]));
    out.rawWrite(Buffer.from('Independence Square\r\n'));
    out.rawWrite(Buffer.from([255, 249])); // negotiation bytes go in the stream too
    out.rawWrite(Buffer.from('> '));
    const start = Buffer.from('before').length + MCCP2_START.length;
    const expected = 'Independence Square\r\n\xff\xf9> ';
    const inflated = () => inflateSync(socket().subarray(start), { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1');
    await until(() => socket().length > start && inflated().length >= expected.length, 'compressed output');
    expect(inflated()).toBe(expected);
    expect(writes()).toBe(3); // 'before', the marker, and the burst compressed and flushed as one
    out.rawWrite(Buffer.from('second burst'));
    await until(() => partialInflate(socket().subarray(start)).endsWith('second burst'), 'second burst');
  });

  it('on DONT finishes the stream cleanly and goes back to plain writes, in order', async () => {
    const { out, socket, opt } = setup();
    opt.enabled!('local');
    out.rawWrite(Buffer.from('squeezed '));
    out.rawWrite(Buffer.from([255, 252, 86])); // the WONT the negotiator sends before disabled()
    opt.disabled!('local');
    expect(opt.mode).toBe('finishing');
    out.rawWrite(Buffer.from('plain again')); // written while the stream is still finishing
    await until(() => opt.mode === 'off', 'the stream to finish');
    out.rawWrite(Buffer.from(' and more'));
    const bytes = socket().subarray(MCCP2_START.length);
    // A complete zlib stream (inflateSync without a sync flush throws on a truncated one) ...
    const { buffer, engine } = inflateSync(bytes, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    expect(buffer).toEqual(Buffer.concat([Buffer.from('squeezed '), Buffer.from([255, 252, 86])]));
    // ... followed by the plain bytes, none of which overtook it.
    expect(bytes.subarray(engine.bytesWritten).toString()).toBe('plain again and more');
  });

  it('a client subnegotiation also ends compression', async () => {
    const { out, opt } = setup();
    opt.enabled!('local');
    out.rawWrite(Buffer.from('x'));
    opt.subnegotiation!(Buffer.alloc(0));
    await until(() => opt.mode === 'off', 'the stream to finish');
  });

  it('DO again while the stream is finishing starts a new stream after it', async () => {
    const { out, socket, opt } = setup();
    opt.enabled!('local');
    out.rawWrite(Buffer.from('one'));
    opt.disabled!('local');
    opt.enabled!('local');
    await until(() => opt.mode === 'on', 'the new stream');
    out.rawWrite(Buffer.from('two'));
    const bytes = socket().subarray(MCCP2_START.length);
    await until(() => socket().length > MCCP2_START.length * 2 + 12, 'second stream output');
    const first = inflateSync(bytes, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    expect(first.buffer.toString()).toBe('one');
    const rest = bytes.subarray(first.engine.bytesWritten);
    expect(rest.subarray(0, MCCP2_START.length)).toEqual(MCCP2_START);
    await until(() => partialInflate(socket().subarray(MCCP2_START.length + first.engine.bytesWritten + MCCP2_START.length)) === 'two', 'two');
  });

  it('ending the connection while compressing ends the socket only after the last compressed byte', async () => {
    const { out, socket, state, opt } = setup();
    opt.enabled!('local');
    out.rawWrite(Buffer.from('Goodbye.\r\n'));
    out.rawEnd();
    expect(state.ended).toBe(false);
    out.rawWrite(Buffer.from('late')); // e.g. a negotiation answer racing the close
    await until(() => state.ended, 'the socket to end');
    const bytes = socket().subarray(MCCP2_START.length);
    const { buffer, engine } = inflateSync(bytes, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    expect(buffer.toString()).toBe('Goodbye.\r\n');
    expect(bytes.subarray(engine.bytesWritten).toString()).toBe('late');
    expect(state.endedAfterBytes).toBe(socket().length);
  });

  it('when the socket closes, releases the stream and writes nothing more', async () => {
    const { out, socket, opt } = setup();
    opt.enabled!('local');
    out.rawWrite(Buffer.from('x'));
    opt.closed!();
    expect(opt.mode).toBe('off');
    const length = socket().length;
    await new Promise((r) => setTimeout(r, 50));
    expect(socket().length).toBe(length);
  });

  it('gives up on a client whose output piles up past the limit, once', () => {
    const { out, opt, aborts } = setup(1000);
    opt.enabled!('local');
    out.rawWrite(Buffer.alloc(600));
    expect(aborts).toEqual([]);
    out.rawWrite(Buffer.alloc(600));
    expect(aborts).toHaveLength(1);
    expect(opt.mode).toBe('failed');
    out.rawWrite(Buffer.alloc(600));
    expect(aborts).toHaveLength(1);
  });

  it('a backlog while the stream is finishing for a close still ends the socket', () => {
    const { out, opt, aborts, state } = setup(1000);
    opt.enabled!('local');
    out.rawWrite(Buffer.alloc(600));
    out.rawEnd();
    expect(state.ended).toBe(false);
    out.rawWrite(Buffer.alloc(600));
    out.rawWrite(Buffer.alloc(600));
    expect(aborts).toHaveLength(1);
    expect(state.ended).toBe(true);
  });
});
