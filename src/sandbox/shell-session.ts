import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { finished } from 'node:stream/promises';
import { SandboxError, errorMessage } from '../errors.ts';
import { MarkedCapture } from './capture.ts';
import { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_TIMEOUT_MS } from './defaults.ts';
import { demux } from './demux.ts';
import { waitExecExit } from './exec-once.ts';
import { checkEnvNames, commandLine, endMarker, initScript, readyMarker } from './shell-script.ts';
import type { ExecOptions, ExecResult } from './types.ts';

const START_TIMEOUT_MS = 15_000;
/** How long a killed shell's stream may take to end before it is cut. */
const KILL_GRACE_MS = 2000;

interface Pending {
  out: MarkedCapture;
  err: MarkedCapture;
  settle: (ended: boolean) => void;
}

/**
 * One long-lived bash behind a single exec stream: a command costs a write and a read on an open socket
 * instead of an exec round trip. Commands run one at a time; cwd and exported variables persist. When the
 * shell dies (`exit`, `kill`, a timeout), the next command starts a new one with the saved cwd and env.
 */
export class ShellSession {
  private stream: Duplex | undefined;
  private exec: Docker.Exec | undefined;
  private pgid: number | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** How many times the shell had to be started again after dying. */
  restarts = 0;
  private started = 0;

  constructor(
    private readonly container: Docker.Container,
    private readonly user: string,
    private readonly workdir: string,
  ) {}

  run(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const next = this.queue.then(() => this.runNow(cmd, opts));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stream?.end();
    this.stream?.destroy();
    this.stream = undefined;
  }

  private async runNow(cmd: string, opts: ExecOptions): Promise<ExecResult> {
    if (this.closed)
      throw new SandboxError('sandbox_closed', 'The sandbox was closed; no more commands can run in it.');
    if (cmd.includes('\0')) throw new SandboxError('bad_command', 'A command cannot contain a NUL byte.');
    const badEnv = checkEnvNames(opts.env);
    if (badEnv !== undefined)
      throw new SandboxError('bad_command', `'${badEnv}' is not a valid environment variable name.`);
    if (!this.stream) await this.start();
    const stream = this.stream as Duplex;
    const token = randomBytes(8).toString('hex');
    const cap = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = performance.now();
    const out = new MarkedCapture(endMarker(token), cap);
    const err = new MarkedCapture(endMarker(token), cap);

    let timedOut = false;
    const ended = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        timedOut = true;
        void this.killShell(stream, this.pgid);
      }, timeoutMs);
      this.pending = {
        out,
        err,
        settle: (streamEnded) => {
          clearTimeout(timer);
          this.pending = undefined;
          resolve(streamEnded);
        },
      };
      stream.write(`${commandLine(token, opts)}${cmd}\0`);
    });

    const durationMs = performance.now() - started;
    if (!ended) {
      return {
        exitCode: Number.parseInt(out.trailerText, 10),
        stdout: out.text(),
        stderr: err.text(),
        timedOut: false,
        truncated: out.truncated || err.truncated,
        totalBytes: out.totalBytes + err.totalBytes,
        durationMs,
      };
    }
    // The shell is gone: killed by our timeout, or the command exited or killed it.
    out.flush();
    err.flush();
    const exitCode = timedOut ? null : await this.shellExitCode();
    this.dropShell();
    const note = timedOut
      ? `\n[hotmess: command timed out after ${Math.round(timeoutMs / 1000)} s and was killed]`
      : `\n[hotmess: the shell exited (code ${exitCode ?? 'unknown'}); the next command starts a new shell in the same directory with the exported environment restored]`;
    return {
      exitCode,
      stdout: out.text(),
      stderr: err.text() + note,
      timedOut,
      truncated: out.truncated || err.truncated,
      totalBytes: out.totalBytes + err.totalBytes,
      durationMs,
    };
  }

  private async start(): Promise<void> {
    if (this.started > 0) this.restarts += 1;
    this.started += 1;
    try {
      this.exec = await this.container.exec({
        Cmd: ['bash', '--noprofile', '--norc'],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        User: this.user,
        WorkingDir: this.workdir,
      });
      this.stream = (await this.exec.start({ hijack: true, stdin: true })) as Duplex;
    } catch (err) {
      this.dropShell();
      throw new SandboxError('sandbox_dead', `Could not start a shell in the sandbox: ${errorMessage(err)}`, err);
    }
    const stream = this.stream;
    const token = randomBytes(8).toString('hex');
    const ready = new MarkedCapture(readyMarker(token), 4096);
    const readyPromise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      demux(
        stream,
        (chunk) => {
          if (!ready.done) {
            if (ready.push(chunk)) {
              clearTimeout(timer);
              resolve();
            }
            return;
          }
          if (this.pending?.out.push(chunk) && this.pending.err.done) this.pending.settle(false);
        },
        (chunk) => {
          if (this.pending?.err.push(chunk) && this.pending.out.done) this.pending.settle(false);
        },
      );
      stream.on('end', () => {
        clearTimeout(timer);
        reject(new Error('the shell exited while starting'));
        this.onStreamEnd(stream);
      });
      stream.on('close', () => this.onStreamEnd(stream));
      stream.on('error', () => this.onStreamEnd(stream));
    });
    stream.write(initScript(token));
    try {
      await readyPromise;
    } catch (err) {
      this.dropShell();
      throw new SandboxError('sandbox_dead', `The sandbox shell did not start: ${errorMessage(err)}`, err);
    }
    this.pgid = Number.parseInt(ready.trailerText, 10);
  }

  private onStreamEnd(stream: Duplex): void {
    if (stream !== this.stream) return;
    this.pending?.settle(true);
  }

  private async shellExitCode(): Promise<number | null> {
    if (!this.exec) return null;
    return waitExecExit(this.exec, 2000);
  }

  private dropShell(): void {
    this.stream?.destroy();
    this.stream = undefined;
    this.exec = undefined;
    this.pgid = undefined;
  }

  /**
   * Kills the shell's whole process group: the command, its children, and the shell itself. The shell's stream
   * then ends; should it not, that same stream (never a later shell's) is cut after a grace period.
   */
  private async killShell(stream: Duplex, pgid: number | undefined): Promise<void> {
    const cut = setTimeout(() => stream.destroy(), KILL_GRACE_MS);
    stream.once('close', () => clearTimeout(cut));
    if (pgid === undefined || pgid <= 1) return;
    try {
      const exec = await this.container.exec({
        Cmd: ['kill', '-KILL', '--', `-${pgid}`],
        User: this.user,
        AttachStdout: false,
        AttachStderr: false,
      });
      // The detached start still answers with a response body: read it to its end, or its socket stays open
      // and keeps the whole process alive after everything else is done.
      const response = (await exec.start({ Detach: true })) as NodeJS.ReadableStream | undefined;
      if (response) await finished(response.resume());
    } catch {
      // The container may already be gone; cutting the stream above still ends the command.
    }
  }
}
