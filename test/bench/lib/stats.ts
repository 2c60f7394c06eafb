// Order statistics for the tables. Nearest-rank percentiles: every figure printed is a
// value that was actually measured, never an interpolation between two.

export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Nearest-rank percentile of an ascending array (p in 0..100); NaN when empty. */
export function percentileOfSorted(ascending: ArrayLike<number>, p: number): number {
  const n = ascending.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return ascending[rank - 1]!;
}

export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted(sorted(values), p);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: ArrayLike<number>): Summary {
  const asc = Float64Array.from(values as ArrayLike<number>).sort();
  let sum = 0;
  for (const v of asc) sum += v;
  return {
    n: asc.length,
    p50: percentileOfSorted(asc, 50),
    p99: percentileOfSorted(asc, 99),
    max: asc.length ? asc[asc.length - 1]! : Number.NaN,
    mean: asc.length ? sum / asc.length : Number.NaN,
  };
}
