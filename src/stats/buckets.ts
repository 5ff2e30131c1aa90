/**
 * Splits tasks into min(k, n) equal-count buckets by `keys` ascending (ties by `ids`, so the split is
 * deterministic): bucket b holds sorted positions ⌊b·n/k⌋ … ⌊(b+1)·n/k⌋ − 1, sizes differing by at most one.
 */
export function equalCountBuckets(keys: ArrayLike<number>, ids: readonly string[], k: number): Int32Array[] {
  const n = keys.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const d = (keys[a] as number) - (keys[b] as number);
    if (d !== 0) return d;
    const x = ids[a] as string;
    const y = ids[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const count = Math.min(k, n);
  const buckets: Int32Array[] = [];
  for (let b = 0; b < count; b++) {
    buckets.push(Int32Array.from(order.slice(Math.floor((b * n) / count), Math.floor(((b + 1) * n) / count))));
  }
  return buckets;
}
