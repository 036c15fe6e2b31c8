// The replay log: events' JSON kept outside the heap in one circular buffer, read back whole or
// not at all.
import { describe, expect, it } from 'vitest';
import { Outbound } from '../../../server/core/outbound.js';
import { ReplayLog } from '../../../server/core/replay-log.js';

const event = (text: string) => new Outbound('command_output', null, 'p_1', { text });
const store = (log: ReplayLog, out: Outbound) => {
  const [head, tail] = out.jsonParts();
  return log.append(head, tail);
};

describe('ReplayLog', () => {
  it('gives back the JSON it stored, with any sequence number, multi-byte text intact', () => {
    const log = new ReplayLog(4096);
    const out = event('Ia! Ärger ☠ "quoted"');
    const at = store(log, out)!;
    expect(at.bytes).toBe(Buffer.byteLength(out.json(0)) - 1); // all but the sequence number
    for (const seq of [1, 42, 123456789]) expect(log.json(at.pos, at.bytes, at.headBytes, seq)).toBe(out.json(seq));
  });

  it('overwrites the oldest events once full, and says so rather than returning their bytes', () => {
    const log = new ReplayLog(1024);
    const outs = Array.from({ length: 12 }, (_, i) => event(`event ${i} `.padEnd(60, '.')));
    const at = outs.map((o) => store(log, o)!);
    expect(at[0]!.bytes * 12).toBeGreaterThan(1024); // the log has gone round
    expect(log.json(at[0]!.pos, at[0]!.bytes, at[0]!.headBytes, 1)).toBeNull();
    expect(log.intact(at[0]!.pos, at[0]!.bytes)).toBe(false);
    // The newest still read back whole, including the one that went to the start of the buffer
    // rather than be split across its end.
    const kept = at.map((a, i) => ({ a, i })).filter(({ a }) => log.intact(a.pos, a.bytes));
    expect(kept.length).toBeGreaterThanOrEqual(1024 / at[0]!.bytes - 1);
    expect(kept.at(-1)!.i).toBe(11);
    for (const { a, i } of kept) expect(log.json(a.pos, a.bytes, a.headBytes, 7)).toBe(outs[i]!.json(7));
    expect(at.some((a) => a.pos % 1024 === 0 && a.pos > 0)).toBe(true);
  });

  it('refuses an event bigger than a quarter of the buffer, and a place that was never stored', () => {
    const log = new ReplayLog(1024);
    expect(store(log, event('x'.repeat(300)))).toBeNull();
    expect(log.intact(-1, 0)).toBe(false);
    expect(log.json(-1, 0, 0, 1)).toBeNull();
  });

  it('stores an event once however many sessions keep it', () => {
    const log = new ReplayLog(4096);
    const out = event('once');
    const first = out.storeIn(log);
    expect(out.storeIn(log)).toBe(first);
    expect(store(log, event('next'))!.pos).toBe(first!.pos + first!.bytes);
  });
});
