import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { SandboxError, errorMessage } from '../errors.ts';
import { MarkedCapture } from './capture.ts';
import { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_TIMEOUT_MS } from './defaults.ts';
import { demux } from './demux.ts';
import { checkEnvNames } from './shell-script.ts';
import type { ExecOptions, ExecResult } from './types.ts';

/** The exit code of a finished exec; `Running` can stay true for a moment after its stream ends. */
export async function waitExecExit(exec: Docker.Exec, maxWaitMs: number): Promise<number | null> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    try {
      const info = await exec.inspect();
      if (!info.Running) return info.ExitCode ?? null;
    } catch {
      return null;
    }
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * One exec per command (no state between commands), as mini-swe-agent does it. The command runs under
 * coreutils `timeout`, which signals its whole process group, so children die with it.
 */
export async function execOnce(
  container: Docker.Container,
  cmd: string,
  opts: ExecOptions & { user: string; workdir: string },
): Promise<ExecResult> {
  const badEnv = checkEnvNames(opts.env);
  if (badEnv !== undefined)
    throw new SandboxError('bad_command', `'${badEnv}' is not a valid environment variable name.`);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cap = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const started = performance.now();
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    exec = await container.exec({
      Cmd: ['timeout', '-s', 'KILL', `${Math.max(0.01, timeoutMs / 1000)}s`, 'bash', '-c', cmd],
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      User: opts.user,
      WorkingDir: opts.cwd ?? opts.workdir,
      Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
    });
    stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  } catch (err) {
    throw new SandboxError('sandbox_dead', `Could not run a command in the sandbox: ${errorMessage(err)}`, err);
  }
  // A marker that never appears: the captures only cap and count.
  const never = Buffer.from(`\0${randomBytes(16).toString('hex')}`);
  const out = new MarkedCapture(never, cap);
  const err = new MarkedCapture(never, cap);
  demux(
    stream,
    (c) => out.push(c),
    (c) => err.push(c),
  );
  await new Promise<void>((resolve) => {
    // Backstop in case the engine never closes the stream.
    const timer = setTimeout(() => stream.destroy(), timeoutMs + 10_000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
  out.flush();
  err.flush();
  const code = await waitExecExit(exec, 2000);
  // coreutils timeout exits 137 (128 + KILL) when it had to kill the command.
  const timedOut = code === 137 && performance.now() - started >= timeoutMs - 50;
  return {
    exitCode: timedOut ? null : code,
    stdout: out.text(),
    stderr:
      err.text() +
      (timedOut ? `\n[hotmess: command timed out after ${Math.round(timeoutMs / 1000)} s and was killed]` : ''),
    timedOut,
    truncated: out.truncated || err.truncated,
    totalBytes: out.totalBytes + err.totalBytes,
    durationMs: performance.now() - started,
  };
}
