import path from 'node:path';
import { InputError } from '../errors.ts';

/** The files of a run directory `logs/<run-id>/` (DESIGN.md §6). */
export const runFiles = {
  runJson: 'run.json',
  unrolls: 'unrolls.jsonl',
  predictions: 'predictions.jsonl',
  trajectories: 'trajectories',
  patches: 'patches',
  grading: 'grading',
} as const;

export type ArtifactKind = 'trajectory' | 'patch' | 'grading';

const artifactDirs: Record<ArtifactKind, { dir: string; ext: string }> = {
  trajectory: { dir: runFiles.trajectories, ext: '.json' },
  patch: { dir: runFiles.patches, ext: '.diff' },
  grading: { dir: runFiles.grading, ext: '.log' },
};

/** `<run>/trajectories/<instance>/<unroll>.json`, `<run>/patches/<instance>/<unroll>.diff`, `<run>/grading/<instance>/<unroll>.log`. */
export function artifactPath(runDir: string, kind: ArtifactKind, instanceId: string, unroll: number): string {
  const { dir, ext } = artifactDirs[kind];
  return path.join(runDir, dir, pathSegment(instanceId), `${unroll}${ext}`);
}

/** An instance id used as a directory name must not climb out of the run directory or hide itself. */
export function pathSegment(name: string): string {
  if (name === '' || name.startsWith('.') || /[/\\\0]/.test(name)) {
    throw new InputError(`Instance id "${name}" cannot be used as a directory name.`);
  }
  return name;
}
