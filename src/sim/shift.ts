import type { LoadedSimSpec } from './spec-load.ts';

/**
 * A simulated model that leans more to the wrong patches: `extraDrift` is added to the spec's drift (capped at
 * 1), so that every exploration action past the median moves that much more of the correct candidates' weight
 * to the wrong ones. Long unrolls, and so tasks with long unrolls, regress most: a known regression by length.
 */
export function shiftDrift(spec: LoadedSimSpec, extraDrift: number): LoadedSimSpec {
  if (extraDrift === 0) return spec;
  return { ...spec, drift: Math.min(1, spec.drift + extraDrift) };
}
