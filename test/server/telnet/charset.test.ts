import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { IAC, OPT, SB, SE } from '../../../server/telnet/codes.js';
import { CHARSET, charsetOption, requestedCharsets, type CharsetOption } from '../../../server/telnet/charset.js';
import { silentLogger } from '../../../server/logger.js';

const sb = (...payload: Array<number | string>) =>
  Buffer.concat([
    Buffer.from([IAC, SB, OPT.CHARSET]),
    ...payload.map((p) => (typeof p === 'number' ? Buffer.from([p]) : Buffer.from(p, 'latin1'))),
    Buffer.from([IAC, SE]),
  ]);
const payload = (...parts: Array<number | string>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p]) : Buffer.from(p, 'latin1'))));

describe('CHARSET', () => {
  let written: Buffer[];
  let opt: CharsetOption;
  let agreed: number;
  beforeEach(() => {
    written = [];
    agreed = 0;
    opt = charsetOption({ write: (b) => written.push(b), agreed: () => agreed++, log: silentLogger() });
  });

  it('offers WILL and, once the client says DO, requests UTF-8', () => {
    expect(opt.local).toBe(true);
    expect(opt.code).toBe(42);
    opt.enabled!('local');
    expect(written).toEqual([sb(CHARSET.REQUEST, ';UTF-8')]);
  });

  it('takes ACCEPTED UTF-8', () => {
    opt.enabled!('local');
    opt.subnegotiation!(payload(CHARSET.ACCEPTED, 'UTF-8'));
    expect(opt.outcome).toBe('UTF-8');
    expect(agreed).toBe(1); // the connection switches to UTF-8
    expect(written).toHaveLength(1); // nothing more to say
  });

  it('takes REJECTED: no UTF-8 for this client', () => {
    opt.enabled!('local');
    opt.subnegotiation!(payload(CHARSET.REJECTED));
    expect(opt.outcome).toBe('rejected');
    expect(agreed).toBe(0);
    expect(written).toHaveLength(1);
  });

  it('ignores an ACCEPTED it did not ask for', () => {
    opt.subnegotiation!(payload(CHARSET.ACCEPTED, 'UTF-8'));
    expect(opt.outcome).toBeNull();
    expect(agreed).toBe(0);
  });

  it("accepts a client's REQUEST that lists UTF-8, naming it as the client wrote it", () => {
    opt.subnegotiation!(payload(CHARSET.REQUEST, ' ISO-8859-1 utf-8 US-ASCII'));
    expect(written).toEqual([sb(CHARSET.ACCEPTED, 'utf-8')]);
    expect(opt.outcome).toBe('UTF-8');
    expect(agreed).toBe(1);
  });

  it("rejects a client's REQUEST without UTF-8", () => {
    opt.subnegotiation!(payload(CHARSET.REQUEST, ';ISO-8859-1;CP437'));
    expect(written).toEqual([sb(CHARSET.REJECTED)]);
  });

  it('reads a [TTABLE] request and a request without a separator', () => {
    expect(requestedCharsets(payload('[TTABLE]', 1, ';KOI8-R;UTF-8'))).toEqual(['KOI8-R', 'UTF-8']);
    expect(requestedCharsets(payload('UTF-8'))).toEqual(['UTF-8']);
    expect(requestedCharsets(payload(''))).toEqual([]);
    expect(requestedCharsets(payload(';'))).toEqual([]);
  });

  it('refuses a translation table', () => {
    opt.subnegotiation!(payload(CHARSET.TTABLE_IS, 1, 'whatever'));
    expect(written).toEqual([sb(CHARSET.TTABLE_REJECTED)]);
  });

  it('never throws on any payload', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        opt.subnegotiation!(Buffer.from(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
