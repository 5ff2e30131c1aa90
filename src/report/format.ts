/** How every page writes a figure: decomposition terms and ratios as decimals, rates as percentages. */
export function fmtNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

export function fmtPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${(value * 100).toFixed(digits)}%`;
}

export function fmtCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** A length bucket's range of per-task mean lengths: `3.2–7.9`. */
export function fmtRange(range: readonly [number, number]): string {
  const digits = (x: number): number => (Math.abs(x) >= 1000 ? 0 : 1);
  return `${range[0].toFixed(digits(range[0]))}–${range[1].toFixed(digits(range[1]))}`;
}

export function fmtLevel(level: number): string {
  return `${Math.round(level * 1000) / 10}%`;
}
