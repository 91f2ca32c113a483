// Small helpers for benchmarks: medians, and interleaved trials so that a noisy machine slows
// the thing measured and its baseline alike.
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function interleaved<T extends string>(trials: number, cases: Record<T, () => Promise<number>>): Promise<Record<T, number[]>> {
  const results = Object.fromEntries(Object.keys(cases).map((name) => [name, [] as number[]])) as Record<T, number[]>;
  for (let trial = 0; trial < trials; trial++) {
    for (const name of Object.keys(cases) as T[]) results[name].push(await cases[name]());
  }
  return results;
}

export const ms = (value: number): string => `${value.toFixed(1)} ms`;
export const ratio = (value: number): string => `${value.toFixed(2)}×`;
