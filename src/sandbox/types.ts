/** The one sandbox interface (DESIGN.md §1): Docker now; a Kubernetes pod or a remote host plugs in behind it. */

export interface ExecOptions {
  /** Kill the command after this long; the result has `timedOut: true`. */
  timeoutMs?: number;
  /** Keep at most this many bytes of stdout and of stderr each; the rest is dropped and `truncated` set. */
  maxOutputBytes?: number;
  cwd?: string;
  env?: Record<string, string>;
}

export interface ExecResult {
  /** null when the command was killed (timeout) or the shell died under it. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
  /** Bytes the command wrote to stdout and stderr together, kept or not, when the sandbox counted them. */
  totalBytes?: number;
  durationMs: number;
}

export interface SandboxLimits {
  memoryBytes: number;
  pidsLimit: number;
  /** CPU quota in CPUs (1.5 = one and a half cores). */
  cpus: number;
  network: boolean;
  /** User commands run as; official SWE-bench images expect root. */
  user: string;
  /** Directory the agent works in (the repository). */
  workdir: string;
  /** Bytes the sandbox may write to its root filesystem before the unroll stops (`disk_limit`); 0: no limit. */
  diskBytes: number;
  /** `persistent` keeps one shell per container (cwd and env carry over); `exec` starts one process per action. */
  execMode: 'persistent' | 'exec';
}

export interface SandboxLabels {
  run: string;
  instance?: string;
  unroll?: string | number;
}

export interface WriteFileOptions {
  mode?: number;
}

export interface Sandbox {
  readonly id: string;
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>;
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: Buffer | string, opts?: WriteFileOptions): Promise<void>;
  /** `git diff` of the work tree (new files included) against `baseCommit`, leaving out `excludePaths`. */
  diff(baseCommit: string, opts?: { excludePaths?: string[] }): Promise<string>;
  close(): Promise<void>;
  /**
   * Checked after each action: a sentence saying so when the sandbox has written more than its disk limit,
   * else null. Sandboxes that cannot tell leave it out.
   */
  diskOverLimit?(): Promise<string | null>;
  /**
   * An interactive shell in the sandbox on this process's terminal (`hotmess shell`, `run-one --step`), in the
   * work directory as the sandbox's user; resolves with the shell's exit code. Sandboxes without a terminal leave it out.
   */
  openShell?(): Promise<number>;
}

export interface SandboxProvider {
  start(image: string, limits?: Partial<SandboxLimits>, labels?: SandboxLabels): Promise<Sandbox>;
}
