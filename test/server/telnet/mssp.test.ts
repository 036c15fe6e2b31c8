import { describe, expect, it } from 'vitest';
import { IAC, OPT, SB, SE } from '../../../server/telnet/codes.js';
import { encodeMssp, MSSP_VAL, MSSP_VAR, msspOption, msspText, msspVariables, type MsspStatus } from '../../../server/telnet/mssp.js';
import { silentLogger } from '../../../server/logger.js';

const status: MsspStatus = { players: 3, startedAt: 1_760_000_000, port: 4000, areas: 5, rooms: 57 };

/** Parses IAC SB MSSP ... IAC SE back into [name, values[]] pairs, as a crawler would. */
function parseMssp(bytes: Buffer): Array<[string, string[]]> {
  expect([...bytes.subarray(0, 3)]).toEqual([IAC, SB, OPT.MSSP]);
  expect([...bytes.subarray(-2)]).toEqual([IAC, SE]);
  const body = bytes.subarray(3, -2);
  expect(body.includes(IAC)).toBe(false);
  expect(body.includes(0)).toBe(false);
  const out: Array<[string, string[]]> = [];
  let cur: Buffer[] = [];
  let kind = 0;
  const finish = () => {
    const text = Buffer.concat(cur).toString('utf8');
    if (kind === MSSP_VAR) out.push([text, []]);
    else if (kind === MSSP_VAL) out[out.length - 1]![1].push(text);
    cur = [];
  };
  for (const b of body) {
    if (b === MSSP_VAR || b === MSSP_VAL) {
      finish();
      kind = b;
    } else cur.push(Buffer.from([b]));
  }
  finish();
  return out;
}

describe('MSSP', () => {
  it('carries the required variables and our description', () => {
    const vars = new Map(parseMssp(encodeMssp(msspVariables(status))).map(([n, v]) => [n, v]));
    expect(vars.get('NAME')).toEqual(['MythosMUD']);
    expect(vars.get('PLAYERS')).toEqual(['3']);
    expect(vars.get('UPTIME')).toEqual(['1760000000']);
    expect(vars.get('PORT')).toEqual(['4000']);
    expect(vars.get('CODEBASE')).toEqual(['MythosMUD']);
    expect(vars.get('AREAS')).toEqual(['5']);
    expect(vars.get('ROOMS')).toEqual(['57']);
    for (const [name, value] of [
      ['LANGUAGE', 'English'], ['FAMILY', 'Custom'], ['GENRE', 'Horror'], ['GAMEPLAY', 'Social'], ['STATUS', 'Alpha'],
      ['CHARSET', 'UTF-8'], ['ANSI', '1'], ['GMCP', '1'], ['MCCP', '1'], ['UTF-8', '1'],
    ] as const) {
      expect(vars.get(name)).toEqual([value]);
    }
    expect(vars.has('CONTACT')).toBe(false);
  });

  it('drops the bytes a value may not contain', () => {
    const bytes = encodeMssp([
      ['NAME', 'Bad\x01Name\x02\x00'],
      ['CONTACT', 'a\tb\r\nc ÿ'], // ÿ is U+00FF: UTF-8 C3 BF, never a raw 0xFF
    ]);
    const parsed = parseMssp(bytes);
    expect(parsed).toEqual([
      ['NAME', ['BadName']],
      ['CONTACT', ['abc ÿ']],
    ]);
  });

  it('sends the block when the client says DO MSSP, with the status of that moment', () => {
    const written: Buffer[] = [];
    let players = 0;
    const opt = msspOption({
      write: (b) => written.push(b),
      writeText: () => {},
      status: () => ({ ...status, players }),
      log: silentLogger(),
    });
    expect(opt.local).toBe(true);
    players = 7;
    opt.enabled!('local');
    expect(written).toHaveLength(1);
    expect(new Map(parseMssp(written[0]!)).get('PLAYERS')).toEqual(['7']);
    opt.enabled!('remote'); // not ours to act on
    expect(written).toHaveLength(1);
  });

  it('answers a plain-text MSSP-REQUEST at the login prompt, and only that line', () => {
    const text: string[] = [];
    const opt = msspOption({ write: () => {}, writeText: (t) => text.push(t), status: () => status, log: silentLogger() });
    expect(opt.loginLine!('armitage')).toBe(false);
    expect(opt.loginLine!('MSSP-REQUESTS')).toBe(false);
    expect(text).toEqual([]);
    expect(opt.loginLine!('MSSP-REQUEST')).toBe(true);
    expect(text).toHaveLength(1);
    const lines = text[0]!.split('\n');
    expect(lines[0]).toBe('');
    expect(lines[1]).toBe('MSSP-REPLY-START');
    expect(lines).toContain('NAME\tMythosMUD');
    expect(lines).toContain('PLAYERS\t3');
    expect(lines.at(-2)).toBe('MSSP-REPLY-END');
    expect(text[0]).toBe(msspText(msspVariables(status)));
  });
});
