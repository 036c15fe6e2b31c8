// Player names for the load generator. A name is letters only (PROTOCOL section 2), so an index is
// written in base 26: prefix "cr" + index 27 -> "crabb" (shown by the server as "Crabb").
import { displayName } from '../shared/protocol.js';

const A = 'a'.charCodeAt(0);

export function letters(index: number, width = 4): string {
  if (!Number.isInteger(index) || index < 0 || index >= 26 ** width) throw new RangeError(`index ${index} does not fit ${width} letters`);
  let out = '';
  let n = index;
  for (let i = 0; i < width; i++) {
    out = String.fromCharCode(A + (n % 26)) + out;
    n = Math.floor(n / 26);
  }
  return out;
}

export interface BenchName {
  /** What the client types at the name prompt. */
  login: string;
  /** How the server shows it in notices (`Crabb says, ...`). */
  shown: string;
}

export function benchName(prefix: string, index: number): BenchName {
  const login = `${prefix}${letters(index)}`.toLowerCase();
  return { login, shown: displayName(login) };
}

export const BENCH_PASSWORD = 'bench-pass';
