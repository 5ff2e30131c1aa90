import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, errorMessage } from '../errors.ts';
import type { Resolution } from '../store/unroll-record.ts';
import { readTestLog } from './read-log.ts';
import { gradeLog, type GradableInstance, type GradeLogOptions, type LogGrade } from './report.ts';

/** The official harness's per-instance folder: `<instance_id>/test_output.txt`, report.json and patch.diff beside. */
export const harnessFiles = { log: 'test_output.txt', report: 'report.json', patch: 'patch.diff' } as const;

/** One log to grade, and the instance it belongs to. */
export interface LogTarget {
  readonly log: string;
  readonly instanceId: string;
  /** The harness's report.json beside the log, if any: its verdict is shown next to ours. */
  readonly reportFile?: string;
  /** The prediction's patch beside the log (patch.diff), if any. */
  readonly patchFile?: string;
}

/**
 * Every harness instance folder under `root` (the folder itself, a run folder of instance folders, or a tree of
 * runs), in path order. An instance folder is one that holds test_output.txt; its name is the instance id.
 */
export async function findHarnessLogs(root: string): Promise<LogTarget[]> {
  const found: LogTarget[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw new InputError(`Cannot read the folder ${dir} (${errorMessage(err)}).`, dir);
    }
    const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    if (names.has(harnessFiles.log)) {
      found.push({
        log: path.join(dir, harnessFiles.log),
        instanceId: path.basename(dir),
        ...(names.has(harnessFiles.report) ? { reportFile: path.join(dir, harnessFiles.report) } : {}),
        ...(names.has(harnessFiles.patch) ? { patchFile: path.join(dir, harnessFiles.patch) } : {}),
      });
    }
    const subdirs = entries.filter((e) => e.isDirectory()).map((e) => e.name);
    for (const name of subdirs.sort()) await visit(path.join(dir, name));
  };
  await visit(path.resolve(root));
  return found;
}

/** The targets named on the command line: a log file is one target (of `instanceId`), a folder is searched. */
export async function collectLogTargets(paths: readonly string[], instanceId?: string): Promise<LogTarget[]> {
  const targets: LogTarget[] = [];
  for (const given of paths) {
    const kind = await stat(given).then(
      (s) => (s.isDirectory() ? 'dir' : 'file'),
      () => 'missing',
    );
    if (kind === 'missing') throw new InputError(`Log file or folder ${given} does not exist.`, given);
    if (kind === 'file') {
      targets.push({ log: given, instanceId: instanceId ?? path.basename(path.dirname(path.resolve(given))) });
      continue;
    }
    const inside = await findHarnessLogs(given);
    if (inside.length === 0) throw new InputError(`No ${harnessFiles.log} under ${given}.`, given);
    targets.push(...inside);
  }
  return targets;
}

export interface BatchGrade {
  readonly target: LogTarget;
  /** Absent when the log could not be graded (see `problem`). */
  readonly grade?: LogGrade;
  /** Why the log could not be graded: not a test log, unknown instance, unreadable file. */
  readonly problem?: string;
  /** `resolved` of the harness's report.json beside the log, when there is one that names the instance. */
  readonly officialResolved?: boolean;
}

/**
 * Grades many logs in one pass: the instances are looked up in one map, each log is read and graded, and a
 * problem with one log is kept with it rather than stopping the others.
 */
export async function gradeLogTargets(
  targets: readonly LogTarget[],
  instances: ReadonlyMap<string, GradableInstance>,
  options: Pick<GradeLogOptions, 'era' | 'parser'>,
): Promise<BatchGrade[]> {
  const results: BatchGrade[] = [];
  for (const target of targets) {
    const instance = instances.get(target.instanceId);
    if (!instance) {
      results.push({ target, problem: `no instance ${target.instanceId} in the instance files` });
      continue;
    }
    try {
      const [log, modelPatch, officialResolved] = await Promise.all([
        readTestLog(target.log),
        target.patchFile === undefined ? undefined : readPatch(target.patchFile),
        target.reportFile === undefined ? undefined : officialVerdict(target.reportFile, target.instanceId),
      ]);
      const grade = gradeLog(instance, log, { ...options, ...(modelPatch === undefined ? {} : { modelPatch }) });
      results.push({ target, grade, ...(officialResolved === undefined ? {} : { officialResolved }) });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      results.push({ target, problem: err.message.replace(/\.$/, '') });
    }
  }
  return results;
}

async function readPatch(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`Patch file ${file} cannot be read (${errorMessage(err)}).`, file);
  }
}

/** `resolved` of one instance in a harness report.json; undefined when the file does not say. */
async function officialVerdict(file: string, instanceId: string): Promise<boolean | undefined> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, { resolved?: unknown } | undefined>;
    const resolved = json[instanceId]?.resolved;
    return typeof resolved === 'boolean' ? resolved : undefined;
  } catch {
    return undefined;
  }
}

export interface BatchSummary {
  readonly logs: number;
  readonly byResolution: Readonly<Record<Resolution, number>>;
  readonly problems: number;
  /** Logs with a report.json beside them, and how many of those agree with it on `resolved`. */
  readonly compared: number;
  readonly agreed: number;
  /** Logs whose `resolved` differs from their report.json's. */
  readonly disagreements: readonly LogTarget[];
}

export function summarizeBatch(results: readonly BatchGrade[]): BatchSummary {
  const byResolution: Record<Resolution, number> = { FULL: 0, PARTIAL: 0, NO: 0 };
  const disagreements: LogTarget[] = [];
  let compared = 0;
  for (const r of results) {
    if (!r.grade) continue;
    byResolution[r.grade.resolution] += 1;
    if (r.officialResolved === undefined) continue;
    compared += 1;
    if ((r.grade.resolution === 'FULL') !== r.officialResolved) disagreements.push(r.target);
  }
  return {
    logs: results.length,
    byResolution,
    problems: results.filter((r) => r.problem !== undefined).length,
    compared,
    agreed: compared - disagreements.length,
    disagreements,
  };
}
