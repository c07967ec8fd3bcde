/** The value at `share` (0.5, 0.99) of latencies sorted ascending; 0 when there are none. */
export const percentile = (sorted: number[], share: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];
