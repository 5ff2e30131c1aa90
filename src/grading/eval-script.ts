import { InputError } from '../errors.ts';
import { exitCodeVariable, markers } from './markers.ts';
import { defaultTestCmd } from './test-cmd.ts';
import { createdPaths, testDirectives, testFilesToReset } from './test-patch.ts';

/** What the builder needs of an instance (an Instance satisfies it). */
export interface ScriptableInstance {
  readonly instance_id: string;
  readonly repo: string;
  readonly version: string;
  readonly base_commit: string;
  readonly test_patch: string;
  readonly eval_script?: string | undefined;
  readonly test_cmd?: string | undefined;
}

export interface EvalScriptOptions {
  /** Where the repository is checked out (default /testbed). Ignored when the instance's own eval_script is used. */
  readonly repoDir?: string;
  /** Shell lines that activate the test environment (e.g. conda for official images); none by default. */
  readonly activate?: readonly string[];
  /** Use the instance's `eval_script` when it has one (default true); false always generates the script. */
  readonly useInstanceScript?: boolean;
}

/** The official images' conda environment, for scripts generated to run in them. */
export const condaActivation: readonly string[] = ['source /opt/miniconda3/bin/activate', 'conda activate testbed'];

/** Fixed so that test outcomes depend on the patch, not on the container's clock, locale or hash seed. */
const pinnedEnvironment = 'export TZ=UTC LANG=C.UTF-8 PYTHONHASHSEED=0';
const heredocDelimiter = 'EOF_114329324912';
const startMarkerLine = `: '${markers.startTestOutput}'`;
const endMarkerLine = `: '${markers.endTestOutput}'`;
const saveExitCode = `${exitCodeVariable}=$?`;
const echoExitCode = `echo "${markers.testExitCode}: $${exitCodeVariable}"`;

/**
 * A v5-style eval script (PARSERS.md §2) for `bash -x`-style logs the v5 rules grade: reset the test files,
 * apply the test patch, run the test command between the start/end markers and echo its exit code. An
 * instance's own `eval_script` is kept as written apart from the pinned environment and the exit-code lines.
 */
export function buildEvalScript(instance: ScriptableInstance, options: EvalScriptOptions = {}): string {
  if (instance.eval_script && options.useInstanceScript !== false) return adaptInstanceScript(instance);
  const testCmd = instance.test_cmd ?? defaultTestCmd(instance.repo, instance.version);
  if (!testCmd) {
    throw new InputError(
      `Instance ${instance.instance_id} has no test_cmd and ${instance.repo} has no default test command.`,
    );
  }
  const repoDir = options.repoDir ?? '/testbed';
  const reset = resetLines(instance);
  const directives = testDirectives(instance.test_patch, instance.repo);
  const lines = [
    '#!/bin/bash',
    'set -uxo pipefail',
    ...(options.activate ?? []),
    pinnedEnvironment,
    `cd ${shellQuote(repoDir)}`,
    `git config --global --add safe.directory ${shellQuote(repoDir)}`,
    ...reset,
    ...applyTestPatchLines(instance.test_patch),
    startMarkerLine,
    [testCmd, ...directives.map(shellQuote)].join(' '),
    saveExitCode,
    endMarkerLine,
    echoExitCode,
    ...reset,
  ];
  return `${lines.join('\n')}\n`;
}

/** Inserts the pinned environment after `set ...` and the v5 exit-code lines around the end marker. */
function adaptInstanceScript(instance: ScriptableInstance): string {
  const lines = (instance.eval_script ?? '').split('\n');
  const end = lines.indexOf(endMarkerLine);
  if (end < 0) throw new InputError(`The eval_script of ${instance.instance_id} has no "${endMarkerLine}" line.`);
  if (!lines.includes(saveExitCode)) lines.splice(end, 1, saveExitCode, endMarkerLine, echoExitCode);
  const set = lines.findIndex((line) => line.startsWith('set '));
  lines.splice(set < 0 ? 1 : set + 1, 0, pinnedEnvironment);
  return lines.join('\n');
}

/** Back to base_commit: pre-existing test files checked out, files the test patch creates removed. */
function resetLines(instance: ScriptableInstance): string[] {
  const existing = testFilesToReset(instance.test_patch);
  const created = createdPaths(instance.test_patch);
  return [
    ...(existing.length > 0 ? [`git checkout ${instance.base_commit} -- ${existing.map(shellQuote).join(' ')}`] : []),
    ...(created.length > 0 ? [`rm -f -- ${created.map(shellQuote).join(' ')}`] : []),
  ];
}

function applyTestPatchLines(testPatch: string): string[] {
  if (testPatch.trim() === '') return [];
  let delimiter = heredocDelimiter;
  while (testPatch.split('\n').includes(delimiter)) delimiter += '_';
  return [`git apply -v - <<'${delimiter}'`, testPatch.endsWith('\n') ? testPatch.slice(0, -1) : testPatch, delimiter];
}

/** Single-quotes a word for bash unless it is made only of characters that need no quoting. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
