/**
 * Test runners print how long they took ("5 passed in 0.03s", "duration_ms 12.4", "Ran 3 tests in 0.001s"): a
 * difference there says nothing about the environment, so replay masks such timings unless asked to be exact.
 */
const timings: readonly RegExp[] = [/\bin \d+(?:\.\d+)?m?s\b/g, /\bduration_ms:? \d+(?:\.\d+)?/g];

export function maskTimings(text: string): string {
  return timings.reduce((t, re) => t.replace(re, (m) => m.replace(/\d+(?:\.\d+)?/, '#')), text);
}

/** The first line (1-based) where two texts differ, with both versions of it; undefined when they are equal. */
export function firstDifference(
  a: string,
  b: string,
): { line: number; recorded: string; replayed: string } | undefined {
  if (a === b) return undefined;
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return { line: i + 1, recorded: la[i] ?? '(no line)', replayed: lb[i] ?? '(no line)' };
  }
  return undefined;
}
