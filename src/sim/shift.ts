import type { DriftShift } from './candidates.ts';
import type { LoadedSimSpec } from './spec-load.ts';

/** How a simulated model is shifted to the wrong patches: extra drift per action past `from` (default: the median). */
export interface SimShift {
  readonly drift: number;
  readonly from?: number | undefined;
}

/**
 * A simulated model that leans more to the wrong patches: for every exploration action past `from` (an action
 * count; by default each task's own median), `drift` more of the correct candidates' weight moves to the wrong
 * ones. From a fixed count, only unrolls that long regress, and so mostly the tasks whose unrolls are long: a
 * known regression in the long-task buckets.
 */
export function shiftDrift(spec: LoadedSimSpec, shift: SimShift | undefined): LoadedSimSpec {
  if (shift === undefined || shift.drift === 0) return spec;
  const extra: DriftShift = { drift: shift.drift, from: shift.from ?? spec.median };
  return { ...spec, shift: extra };
}
