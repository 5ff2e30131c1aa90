/** Small timing helpers shared by the benchmarks: figures are medians and p95s of repeated samples. */
export interface Summary {
  median: number;
  p95: number;
  n: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95), n: sorted.length };
}

export async function sample(n: number, fn: () => Promise<unknown>, warmup = 5): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return summarize(times);
}

export function fmtMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export function row(label: string, s: Summary): string {
  return `  ${label.padEnd(44)} median ${fmtMs(s.median).padStart(9)}   p95 ${fmtMs(s.p95).padStart(9)}   (n=${s.n})`;
}
