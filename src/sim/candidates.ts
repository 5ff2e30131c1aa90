/** A candidate patch with its text resolved (null writes nothing). */
export interface Candidate {
  readonly name: string;
  readonly patch: string | null;
  readonly weight: number;
  /** Tests that fail with this patch applied. */
  readonly fails: readonly string[];
  readonly description?: string;
}

/**
 * Correct candidates are those with no `fails`. A null patch is never correct: an empty diff is graded as
 * "no change", so it cannot resolve the task, whatever `fails` says.
 */
export function isCorrect(candidate: Candidate): boolean {
  return candidate.patch !== null && candidate.fails.length === 0;
}

/** A shifted model's extra drift (src/sim/shift.ts): `drift` more per exploration action past `from`. */
export interface DriftShift {
  readonly drift: number;
  readonly from: number;
}

/**
 * Candidate probabilities after N exploration actions: for each action past the median, `drift` of the correct
 * candidates' weight moves to the wrong ones in proportion to their weights (the moved fraction is clamped at
 * all of it), plus a shift's `drift` per action past its `from`. With no wrong weight to receive it, nothing moves.
 */
export function candidateProbabilities(
  candidates: readonly Candidate[],
  drift: number,
  median: number,
  n: number,
  shift?: DriftShift,
): number[] {
  const extra = shift === undefined ? 0 : shift.drift * Math.max(0, n - shift.from);
  const moved = Math.min(1, drift * Math.max(0, n - median) + extra);
  let correct = 0;
  let wrong = 0;
  for (const c of candidates) {
    if (isCorrect(c)) correct += c.weight;
    else wrong += c.weight;
  }
  const transfer = wrong > 0 ? moved * correct : 0;
  const weights = candidates.map((c) =>
    isCorrect(c)
      ? wrong > 0
        ? c.weight * (1 - moved)
        : c.weight
      : c.weight + (wrong > 0 ? (transfer * c.weight) / wrong : 0),
  );
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}
