import type Docker from 'dockerode';
import path from 'node:path';
import { isEngineUnreachable } from '../docker/engine.ts';
import { SandboxError } from '../errors.ts';
import { readContainerFile, writeContainerFile } from './archive.ts';
import { WritableLayerMeter } from './disk-usage.ts';
import { execOnce } from './exec-once.ts';
import { interactiveShell } from './interactive.ts';
import { deferRemoval, untrack } from './registry.ts';
import { ShellSession } from './shell-session.ts';
import { shellQuote } from './shell-script.ts';
import type { ExecOptions, ExecResult, Sandbox, SandboxLimits, WriteFileOptions } from './types.ts';

const DIFF_MAX_BYTES = 64 * 1024 * 1024;

/** One container for one unroll. */
export class DockerSandbox implements Sandbox {
  private readonly shell: ShellSession;
  private owner: { uid: number; gid: number } | undefined;
  private closed = false;
  private readonly meter: WritableLayerMeter;

  constructor(
    readonly container: Docker.Container,
    readonly limits: SandboxLimits,
    private readonly keep: boolean,
  ) {
    this.shell = new ShellSession(container, limits.user, limits.workdir);
    this.meter = new WritableLayerMeter(container);
  }

  get id(): string {
    return this.container.id;
  }

  /** How often the persistent shell had to be restarted (exit, kill, timeout). */
  get shellRestarts(): number {
    return this.shell.restarts;
  }

  exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.limits.execMode === 'exec') {
      return execOnce(this.container, cmd, { ...opts, user: this.limits.user, workdir: this.limits.workdir });
    }
    return this.shell.run(cmd, opts);
  }

  /** One-off command outside the agent's shell (fresh process, workdir as cwd): for hotmess's own use. */
  execIsolated(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return execOnce(this.container, cmd, { ...opts, user: this.limits.user, workdir: this.limits.workdir });
  }

  readFile(file: string): Promise<Buffer> {
    return readContainerFile(this.container, this.resolve(file));
  }

  async writeFile(file: string, data: Buffer | string, opts: WriteFileOptions = {}): Promise<void> {
    const target = this.resolve(file);
    const owner = await this.fileOwner();
    const mkdir = await this.execIsolated(`mkdir -p ${shellQuote(path.posix.dirname(target))}`, { timeoutMs: 30_000 });
    if (mkdir.exitCode !== 0) {
      throw new SandboxError(
        'sandbox_io',
        `Cannot create ${path.posix.dirname(target)} in the sandbox: ${mkdir.stderr.trim()}`,
      );
    }
    await writeContainerFile(this.container, target, typeof data === 'string' ? Buffer.from(data) : data, {
      mode: opts.mode ?? 0o644,
      ...owner,
    });
  }

  async diff(baseCommit: string, opts: { excludePaths?: string[] } = {}): Promise<string> {
    // A throwaway index: `git add -A` must not disturb the agent's own staging.
    const excludes = (opts.excludePaths ?? []).map((p) => shellQuote(`:(exclude)${p}`)).join(' ');
    const script = [
      'set -e',
      'idx=$(mktemp)',
      'trap \'rm -f "$idx"\' EXIT',
      'cp .git/index "$idx" 2>/dev/null || true',
      'export GIT_INDEX_FILE="$idx"',
      'git add -A . >/dev/null 2>&1',
      `git -c core.fileMode=false diff --cached --binary --no-color --no-ext-diff ${shellQuote(baseCommit)} -- . ${excludes}`,
    ].join('\n');
    const result = await this.execIsolated(script, { timeoutMs: 120_000, maxOutputBytes: DIFF_MAX_BYTES });
    if (result.exitCode !== 0) {
      throw new SandboxError(
        'diff_failed',
        `Taking the diff against ${baseCommit} failed: ${result.stderr.trim().slice(0, 500)}`,
      );
    }
    if (result.truncated)
      throw new SandboxError('diff_too_large', `The work tree's diff is larger than ${DIFF_MAX_BYTES} bytes.`);
    return result.stdout;
  }

  async diskOverLimit(): Promise<string | null> {
    if (this.limits.diskBytes <= 0) return null;
    const used = await this.meter.measure();
    if (used === undefined || used <= this.limits.diskBytes) return null;
    return `the sandbox wrote ${formatBytes(used)} to its file system, over the disk limit of ${formatBytes(this.limits.diskBytes)}`;
  }

  openShell(): Promise<number> {
    return interactiveShell(this.container.id, this.limits.user, this.limits.workdir);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.shell.close();
    if (this.keep) return;
    try {
      await this.container.remove({ force: true, v: true });
      untrack(this.container);
    } catch (err) {
      // 404: already gone; 409: a signal handler is removing it right now.
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 || status === 409) untrack(this.container);
      // The engine is away (restarting): its work is done, so its removal is left to the registry's retries.
      else if (isEngineUnreachable(err)) deferRemoval(this.container);
      else {
        untrack(this.container);
        throw err;
      }
    }
  }

  private resolve(file: string): string {
    return path.posix.isAbsolute(file) ? file : path.posix.join(this.limits.workdir, file);
  }

  private async fileOwner(): Promise<{ uid: number; gid: number }> {
    if (!this.owner) {
      const ids = await this.execIsolated('id -u; id -g', { timeoutMs: 30_000 });
      const [uid, gid] = ids.stdout.trim().split('\n').map(Number);
      this.owner = { uid: uid ?? 0, gid: gid ?? 0 };
    }
    return this.owner;
  }
}

function formatBytes(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
}
