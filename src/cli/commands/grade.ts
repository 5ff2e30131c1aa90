import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InputError, UsageError, errorMessage } from '../../errors.ts';
import type { NotAppliedReason } from '../../grading/log-eval.ts';
import { collectLogTargets, gradeLogTargets, summarizeBatch } from '../../grading/grade-logs.ts';
import { getLogParser } from '../../grading/parsers/registry.ts';
import { readTestLog } from '../../grading/read-log.ts';
import { gradeLog, type LogGrade } from '../../grading/report.ts';
import { loadInstance, loadInstances } from '../../instances/load.ts';

interface GradeArgs {
  logs?: string[];
  instances: string[];
  'instance-id'?: string;
  log?: string;
  era: 'v2' | 'v4' | 'v5' | 'auto';
  parser?: string;
  /** A file, or false for `--no-patch`. */
  patch?: string | false;
}

/**
 * `hotmess grade`: grades existing test logs without Docker. One log file prints its official report.json;
 * folders of harness instance folders print one JSON line per instance and a summary, in one process.
 */
export const gradeCommand: CommandModule<object, GradeArgs> = {
  builder: (yargs: Argv) =>
    yargs
      .positional('logs', {
        type: 'string',
        array: true,
        describe:
          'Test logs: a test_output.txt (with --instance-id), or folders holding harness instance folders (<instance_id>/test_output.txt)',
      })
      .option('instances', {
        type: 'string',
        array: true,
        // One value per flag: a greedy array would swallow the log arguments that follow it.
        nargs: 1,
        demandOption: true,
        describe: 'Instance files (JSONL or JSON array) or directories; repeat for several',
      })
      .option('instance-id', { type: 'string', describe: 'The instance a single log file belongs to' })
      .option('log', {
        type: 'string',
        describe: 'The test log (test_output.txt); the same as giving it as an argument',
      })
      .option('era', {
        choices: ['v2', 'v4', 'v5', 'auto'] as const,
        default: 'auto' as const,
        describe:
          'Harness rules: v2 (2024 logs, no markers), v4 (v3/v4: start/end markers), v5 (markers and a test exit code line), auto (told apart by those lines)',
      })
      .option('parser', {
        type: 'string',
        describe: "Log parser name, overriding the instance's (e.g. parse_log_pytest)",
      })
      .option('patch', {
        type: 'string',
        describe:
          "The model patch graded (patch.diff), for the report's patch_is_None/patch_exists; --no-patch: the prediction's patch was None",
      }) as unknown as Argv<GradeArgs>,
  handler: async (args) => {
    const given = [...(args.log === undefined ? [] : [args.log]), ...(args.logs ?? [])];
    if (given.length === 0) throw new UsageError('Name a test log or a folder of harness instance folders.');
    const single = given.length === 1 && !(await isDirectory(given[0]!));
    if (single) return gradeOne(args, given[0]!);
    if (args['instance-id'] !== undefined)
      throw new UsageError('--instance-id names the instance of a single log file; folders name their instances.');
    if (args.patch !== undefined)
      throw new UsageError(
        '--patch and --no-patch go with a single log file; folders use the patch.diff beside each log.',
      );
    await gradeMany(args, given);
  },
};

async function gradeOne(args: GradeArgs, log: string): Promise<void> {
  if (args['instance-id'] === undefined)
    throw new UsageError('Missing required argument: instance-id (the instance of the log file).');
  if (args.patch === '') throw new UsageError('--patch needs a file (or use --no-patch for a None patch).');
  const instance = await loadInstance(args.instances, args['instance-id']);
  const text = await readTestLog(log);
  // Without --patch or --no-patch the prediction had a patch, as for every report the harness evaluates.
  const modelPatch = args.patch === false ? null : args.patch === undefined ? undefined : await readPatch(args.patch);
  const grade = gradeLog(instance, text, {
    era: args.era,
    ...(args.parser === undefined ? {} : { parser: args.parser }),
    ...(modelPatch === undefined ? {} : { modelPatch }),
  });
  process.stdout.write(`${JSON.stringify(grade.report, null, 4)}\n`);
  process.stderr.write(`${instance.instance_id}: ${verdict(grade, args.era)}\n`);
}

async function gradeMany(args: GradeArgs, paths: string[]): Promise<void> {
  const started = performance.now();
  // An unknown parser is a usage error before any log is read, not one problem per log.
  if (args.parser !== undefined) getLogParser(args.parser);
  const targets = await collectLogTargets(paths);
  const loaded = await loadInstances(args.instances, { only: new Set(targets.map((t) => t.instanceId)) });
  const byId = new Map(loaded.instances.map((i) => [i.instance_id, i]));
  const results = await gradeLogTargets(targets, byId, {
    era: args.era,
    ...(args.parser === undefined ? {} : { parser: args.parser }),
  });
  const lines: string[] = [];
  for (const { target, grade, problem } of results) {
    const where = shownFolder(target.log);
    lines.push(
      JSON.stringify({
        log: target.log,
        instance_id: target.instanceId,
        ...(grade ? { resolution: grade.resolution, report: grade.report } : { problem }),
      }),
    );
    process.stderr.write(`${where}: ${grade ? verdict(grade, args.era) : `not graded: ${problem}`}\n`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const s = summarizeBatch(results);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const agreement =
    s.compared === 0
      ? ''
      : `; ${s.agreed}/${s.compared} agree on resolved with the report.json beside them${
          s.disagreements.length ? ` (not: ${s.disagreements.map((t) => shownFolder(t.log)).join(', ')})` : ''
        }`;
  process.stderr.write(
    `graded ${s.logs - s.problems} of ${s.logs} logs in ${seconds} s: ${s.byResolution.FULL} RESOLVED_FULL, ` +
      `${s.byResolution.PARTIAL} RESOLVED_PARTIAL, ${s.byResolution.NO} RESOLVED_NO${agreement}\n`,
  );
  if (s.problems > 0)
    throw new InputError(`${s.problems} of ${s.logs} logs could not be graded (each is named above).`);
}

/** A log's folder as printed: relative to the working directory, as the user named it. */
function shownFolder(log: string): string {
  return path.relative(process.cwd(), path.dirname(path.resolve(log))) || '.';
}

function verdict(grade: LogGrade, era: GradeArgs['era']): string {
  const reason = grade.evaluation?.reason;
  const applied = grade.evaluation?.applied
    ? ''
    : ` (not applied: ${reason ?? 'no patch'}${reason && notAppliedHints[reason] ? `: ${notAppliedHints[reason]}` : ''})`;
  const detail = grade.detail ? ` (${grade.detail})` : '';
  return (
    `RESOLVED_${grade.resolution} by ${grade.parser} under ${grade.evaluation?.era ?? era} rules, ` +
    `grading status ${grade.gradingStatus}${applied}${detail}`
  );
}

async function isDirectory(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** What the harness's rule means for a log that lacks the lines it looks for (PARSERS.md §4). */
const notAppliedHints: Partial<Record<NotAppliedReason, string>> = {
  test_patch_not_applied:
    "the log has no 'Applied patch' line, which the v2 harness takes to mean that the test patch did not apply",
  markers_missing: 'the log lacks one of the start/end test-output markers that v3+ harnesses require',
  no_test_evidence: 'no test result and no runner summary in the log',
  exit_code_without_failures: 'the tests exited non-zero yet the log shows no failure, which v5 does not trust',
};

async function readPatch(file: string): Promise<string> {
  try {
    return await readFile(path.resolve(file), 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${errorMessage(err)})`;
    throw new InputError(`Patch file ${file} ${reason}.`, file);
  }
}
