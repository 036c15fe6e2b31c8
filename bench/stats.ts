// Latency samples and their summary (nearest-rank percentiles). Samples are kept raw so that p99 is
// exact rather than estimated; the store is bounded so a runaway scenario cannot eat the memory.
export const MAX_SAMPLES = 5_000_000;

export interface LatencySummary {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export class Samples {
  private values: number[] = [];
  /** Samples beyond MAX_SAMPLES are counted here and not kept. */
  dropped = 0;

  add(ms: number): void {
    if (this.values.length >= MAX_SAMPLES) this.dropped++;
    else this.values.push(ms);
  }

  addAll(other: Samples): void {
    for (const v of other.values) this.add(v);
  }

  get count(): number {
    return this.values.length;
  }

  summary(): LatencySummary {
    return summarize(this.values);
  }
}

export function summarize(values: ArrayLike<number>): LatencySummary {
  const n = values.length;
  if (n === 0) return { count: 0, p50: null, p99: null, max: null, mean: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  return {
    count: n,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[n - 1]!),
    mean: round(sum / n),
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Reception counts of a fanout: what should have arrived, what did, what did not in time. */
export interface Receptions {
  expected: number;
  received: number;
  missed: number;
  /** Receptions nobody expected (a duplicate, or an observer whose presence was racing). */
  unexpected: number;
}

export function emptyReceptions(): Receptions {
  return { expected: 0, received: 0, missed: 0, unexpected: 0 };
}
