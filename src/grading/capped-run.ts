import { SandboxError } from '../errors.ts';
import type { Sandbox } from '../sandbox/types.ts';

export interface CappedRunOptions {
  timeoutMs: number;
  /** Bytes of output kept: the first half and the last half (test results are printed at the end). */
  maxLogBytes: number;
}

export interface CappedRun {
  /** The whole output when it fits, else its head and tail around a note saying how much was cut. */
  log: string;
  /** Bytes the script printed in all. */
  bytes: number;
  truncated: boolean;
  timedOut: boolean;
  durationMs: number;
}

const HEAD_FILE = '/tmp/hotmess-log.head';
const TAIL_FILE = '/tmp/hotmess-log.tail';
const COUNT_FILE = '/tmp/hotmess-log.count';
const STATUS_FILE = '/tmp/hotmess-eval.status';
/** The archive API reads files of up to 64 MiB; each half of the log is one file. */
const MAX_HALF = 64 * 1024 * 1024;
/** Time the outer exec gets past the script's own timeout to flush the log files. */
const BACKSTOP_MS = 60_000;
/** The longest delay a Node timer holds; past it the backstop would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs a script in the sandbox with its stdout and stderr capped inside the container as they stream: `head`
 * keeps the first half, `tail -c` the last half, `dd` counts the rest. Neither this process's memory nor the
 * container's disk grows with what the script prints. The script runs under its own `timeout` in its own
 * process group, so a timeout kills the tests but not the pipeline, and the tail of a hung run is kept.
 */
export async function runCapped(sandbox: Sandbox, script: string, options: CappedRunOptions): Promise<CappedRun> {
  const half = Math.max(512, Math.min(MAX_HALF, Math.floor(options.maxLogBytes / 2)));
  const seconds = Math.max(0.01, options.timeoutMs / 1000);
  const command = [
    `rm -f ${HEAD_FILE} ${TAIL_FILE} ${COUNT_FILE} ${STATUS_FILE}`,
    `{ timeout -k 10s ${seconds}s bash ${script} 2>&1; echo $? > ${STATUS_FILE}; } | ` +
      `{ head -c ${half} > ${HEAD_FILE}; LC_ALL=C dd bs=64K 2> ${COUNT_FILE} | tail -c ${half} > ${TAIL_FILE}; }`,
    `echo "status=$(cat ${STATUS_FILE} 2>/dev/null)"`,
    `cat ${COUNT_FILE} 2>/dev/null`,
  ].join('\n');
  const started = performance.now();
  const run = await sandbox.exec(command, {
    timeoutMs: Math.min(MAX_TIMER_MS, options.timeoutMs + BACKSTOP_MS),
    maxOutputBytes: 64 * 1024,
  });
  const durationMs = performance.now() - started;

  const finished = /^status=(\d*)$/m.exec(run.stdout);
  if (!finished && !run.timedOut) {
    throw new SandboxError(
      'test_run_interrupted',
      `The test run stopped before its output was collected (exit ${run.exitCode ?? 'none'}): the container or the engine failed.`,
    );
  }
  const status = Number.parseInt(finished?.[1] ?? '', 10);
  // coreutils timeout exits 124 after its TERM, 137 when it had to follow with KILL (killing itself too).
  const timedOut = run.timedOut || status === 124 || (status === 137 && durationMs >= options.timeoutMs);
  // Both files exist from the moment the pipeline starts (its redirections create them).
  const head = await sandbox.readFile(HEAD_FILE);
  const tail = await sandbox.readFile(TAIL_FILE);
  const counted = Number.parseInt(/^(\d+) bytes/m.exec(run.stdout)?.[1] ?? '', 10);
  if (Number.isNaN(counted)) {
    // Killed by the backstop before the pipeline finished: only what `head` wrote is certain.
    const log =
      head.length < half
        ? head.toString('utf8')
        : `${head.toString('utf8')}\n[hotmess: the output past its first ${half} bytes was lost]\n`;
    return { log, bytes: head.length, truncated: head.length >= half, timedOut, durationMs };
  }
  const bytes = head.length + counted;
  if (counted <= tail.length)
    return { log: Buffer.concat([head, tail]).toString('utf8'), bytes, truncated: false, timedOut, durationMs };
  const note = `\n[hotmess: ${counted - tail.length} bytes of test output cut here; the log was ${bytes} bytes]\n`;
  return {
    log: `${head.toString('utf8')}${note}${tail.toString('utf8')}`,
    bytes,
    truncated: true,
    timedOut,
    durationMs,
  };
}
