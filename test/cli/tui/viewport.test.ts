import { describe, expect, it } from 'vitest';
import { scrollDown, scrollUp, viewport, type Line } from '../../../cli/tui/viewport.js';

function lines(n: number, first = 1): Line[] {
  return Array.from({ length: n }, (_, i) => ({ id: first + i, kind: 'output' as const, text: `line ${first + i}` }));
}

describe('viewport', () => {
  it('follows the newest line at the bottom', () => {
    const v = viewport(lines(50), null, 40, 5);
    expect(v.rows.map((r) => r.text)).toEqual(['line 46', 'line 47', 'line 48', 'line 49', 'line 50']);
    expect(v.unseen).toBe(0);
  });

  it('counts wrapped rows, so a long line takes its share of the window', () => {
    const ls = [...lines(3), { id: 4, kind: 'say' as const, text: 'a b c d e f g h' }];
    const v = viewport(ls, null, 4, 4);
    expect(v.rows.map((r) => r.text)).toEqual(['a b', 'c d', 'e f', 'g h']);
  });

  it('PgUp moves up a page with one row of overlap; PgDn comes back and follows again', () => {
    const ls = lines(50);
    const up = scrollUp(ls, null, 40, 5);
    expect(up).toBe(46);
    expect(viewport(ls, up, 40, 5).rows.map((r) => r.text)).toEqual(['line 42', 'line 43', 'line 44', 'line 45', 'line 46']);
    expect(viewport(ls, up, 40, 5).unseen).toBe(4);
    const up2 = scrollUp(ls, up, 40, 5);
    expect(up2).toBe(42);
    expect(scrollDown(ls, up2, 40, 5)).toBe(46);
    expect(scrollDown(ls, 46, 40, 5)).toBeNull();
  });

  it('stops at the top with the window full, and does not scroll what fits', () => {
    const ls = lines(12);
    let a: number | null = null;
    for (let i = 0; i < 10; i++) a = scrollUp(ls, a, 40, 5);
    expect(a).toBe(5);
    expect(viewport(ls, a, 40, 5).rows[0]!.text).toBe('line 1');
    expect(scrollUp(lines(4), null, 40, 5)).toBeNull();
  });

  it('pins the view while new lines arrive below it', () => {
    const ls = lines(50);
    const up = scrollUp(ls, null, 40, 5);
    const more = [...ls, ...lines(3, 51)];
    const v = viewport(more, up, 40, 5);
    expect(v.rows.at(-1)!.text).toBe('line 46');
    expect(v.unseen).toBe(7);
  });
});
