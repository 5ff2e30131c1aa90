import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InputError, UsageError, errorMessage } from '../../errors.ts';
import type { NotAppliedReason } from '../../grading/log-eval.ts';
import { gradeLog } from '../../grading/report.ts';
import { loadInstance } from '../../instances/load.ts';

interface GradeArgs {
  instances: string;
  'instance-id': string;
  log: string;
  era: 'v2' | 'v4' | 'v5' | 'auto';
  parser?: string;
  /** A file, or false for `--no-patch`. */
  patch?: string | false;
}

/** `hotmess grade`: grades an existing test log without Docker and prints the official report.json. */
export const gradeCommand: CommandModule<object, GradeArgs> = {
  command: 'grade',
  describe: 'Grade an existing test_output.txt against an instance (no Docker); prints report.json',
  builder: (yargs: Argv) =>
    yargs
      .option('instances', {
        type: 'string',
        demandOption: true,
        describe: 'Instance file (JSONL or JSON array) or directory',
      })
      .option('instance-id', { type: 'string', demandOption: true, describe: 'The instance the log belongs to' })
      .option('log', { type: 'string', demandOption: true, describe: 'The test log (test_output.txt)' })
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
      }),
  handler: async (args) => {
    if (args.patch === '') throw new UsageError('--patch needs a file (or use --no-patch for a None patch).');
    const instance = await loadInstance(args.instances, args['instance-id']);
    const log = await readText('Log', args.log);
    // Without --patch or --no-patch the prediction had a patch, as for every report the harness evaluates.
    const modelPatch =
      args.patch === false ? null : args.patch === undefined ? undefined : await readText('Patch', args.patch);
    const grade = gradeLog(instance, log, {
      era: args.era,
      ...(args.parser === undefined ? {} : { parser: args.parser }),
      ...(modelPatch === undefined ? {} : { modelPatch }),
    });
    process.stdout.write(`${JSON.stringify(grade.report, null, 4)}\n`);
    const reason = grade.evaluation?.reason;
    const applied = grade.evaluation?.applied
      ? ''
      : ` (not applied: ${reason ?? 'no patch'}${reason && notAppliedHints[reason] ? `: ${notAppliedHints[reason]}` : ''})`;
    const detail = grade.detail ? ` (${grade.detail})` : '';
    process.stderr.write(
      `${instance.instance_id}: RESOLVED_${grade.resolution} by ${grade.parser} under ${grade.evaluation?.era ?? args.era} rules, ` +
        `grading status ${grade.gradingStatus}${applied}${detail}\n`,
    );
  },
};

/** What the harness's rule means for a log that lacks the lines it looks for (PARSERS.md §4). */
const notAppliedHints: Partial<Record<NotAppliedReason, string>> = {
  test_patch_not_applied:
    "the log has no 'Applied patch' line, which the v2 harness takes to mean that the test patch did not apply",
  markers_missing: 'the log lacks one of the start/end test-output markers that v3+ harnesses require',
  no_test_evidence: 'no test result and no runner summary in the log',
  exit_code_without_failures: 'the tests exited non-zero yet the log shows no failure, which v5 does not trust',
};

async function readText(what: 'Log' | 'Patch', file: string): Promise<string> {
  try {
    return await readFile(path.resolve(file), 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${errorMessage(err)})`;
    throw new InputError(`${what} file ${file} ${reason}.`, file);
  }
}
