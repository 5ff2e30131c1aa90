import type { Sandbox } from '../sandbox/types.ts';
import { shellQuote } from '../sandbox/shell-script.ts';
import { patchedPaths } from './test-patch.ts';

export type ApplyMethod = 'git apply' | 'git apply --3way' | 'patch --fuzz=3';

const attempts: { method: ApplyMethod; command: (file: string) => string }[] = [
  { method: 'git apply', command: (f) => `git apply -v ${f}` },
  { method: 'git apply --3way', command: (f) => `git apply -v --3way ${f}` },
  { method: 'patch --fuzz=3', command: (f) => `patch --batch -p1 --fuzz=3 -i ${f}` },
];

const BACKUP_TAR = '/tmp/hotmess-touched.tar';
const BACKUP_INDEX = '/tmp/hotmess-index.bak';

export interface ApplyResult {
  method: ApplyMethod | null;
  /** What the tools printed, attempt by attempt (kept in the grading log). */
  log: string;
}

/**
 * Applies a patch file in the work tree as DESIGN.md §5 orders: `git apply`, then `git apply --3way`, then
 * `patch -p1 --fuzz=3`; the first success wins. `git apply` is atomic, but a failed `--3way` leaves conflict
 * markers and index entries behind, so the files the patch touches and the index are saved first and put
 * back after it. Nothing else is reset: official images carry uncommitted set-up edits and untracked build
 * products that tests need. Each command runs as a process of its own: the grader starts its sandbox in `exec` mode.
 */
export async function applyPatch(sandbox: Sandbox, file: string, patch: string): Promise<ApplyResult> {
  const log: string[] = [];
  const paths = touchedPaths(patch).map(shellQuote).join(' ');
  for (const attempt of attempts) {
    const threeWay = attempt.method === 'git apply --3way';
    // --3way checks the work tree against the index, whose stat data is stale in a fresh container: refresh it.
    if (threeWay)
      await run(
        sandbox,
        `git update-index -q --refresh; cp "$(git rev-parse --git-path index)" ${BACKUP_INDEX}; tar -cf ${BACKUP_TAR} --ignore-failed-read -- ${paths} 2>/dev/null; true`,
      );
    const r = await sandbox.exec(`${attempt.command(file)} 2>&1`, {
      timeoutMs: 120_000,
      maxOutputBytes: 256 * 1024,
    });
    log.push(
      `$ ${attempt.command(file)}\n${r.stdout}${r.stdout.endsWith('\n') || !r.stdout ? '' : '\n'}(exit ${r.exitCode})`,
    );
    if (r.exitCode === 0) return { method: attempt.method, log: log.join('\n') };
    if (threeWay)
      await run(
        sandbox,
        `rm -rf -- ${paths}; tar -xf ${BACKUP_TAR}; cp ${BACKUP_INDEX} "$(git rev-parse --git-path index)"`,
      );
  }
  return { method: null, log: log.join('\n') };
}

async function run(sandbox: Sandbox, command: string): Promise<void> {
  await sandbox.exec(command, { timeoutMs: 120_000 });
}

/** Every path a patch may create, change, delete or rename, relative to the repository (-p1). */
export function touchedPaths(patch: string): string[] {
  const paths = new Set(patchedPaths(patch));
  for (const line of patch.split('\n')) {
    const header = /^(?:---|\+\+\+) [ab]\/([^\t]+)/.exec(line) ?? /^(?:rename|copy) (?:from|to) (.+)$/.exec(line);
    if (header?.[1]) paths.add(header[1]);
  }
  return [...paths].filter((p) => p !== '' && !p.startsWith('/') && !p.split('/').includes('..'));
}
