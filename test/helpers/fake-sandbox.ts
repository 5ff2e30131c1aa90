import type {
  ExecOptions,
  ExecResult,
  Sandbox,
  SandboxLabels,
  SandboxLimits,
  SandboxProvider,
  WriteFileOptions,
} from '../../src/sandbox/types.ts';

export type CommandHandler = (command: string, opts: ExecOptions) => Promise<ExecResult> | ExecResult;

export interface FakeSandboxOptions {
  /** Answers each command (default: exit 0 with `ran <command>` on stdout). Throw to fail the sandbox. */
  run?: CommandHandler;
  /** The final diff, or a function giving it (throw to fail it). */
  diff?: string | ((baseCommit: string, excludePaths: readonly string[]) => Promise<string> | string);
}

export function execResult(over: Partial<ExecResult> = {}): ExecResult {
  return { exitCode: 0, stdout: '', stderr: '', timedOut: false, truncated: false, durationMs: 1, ...over };
}

/** An in-memory Sandbox: commands answered by a handler, files in a map, every call kept for assertions. */
export class FakeSandbox implements Sandbox {
  readonly id: string;
  readonly commands: { command: string; opts: ExecOptions }[] = [];
  readonly files = new Map<string, Buffer>();
  readonly diffs: { baseCommit: string; excludePaths: readonly string[] }[] = [];
  closed = 0;

  constructor(
    private readonly options: FakeSandboxOptions = {},
    id = 'fake-sandbox',
  ) {
    this.id = id;
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.commands.push({ command, opts });
    if (this.options.run) return this.options.run(command, opts);
    return execResult({ stdout: `ran ${command}\n` });
  }

  async readFile(path: string): Promise<Buffer> {
    const data = this.files.get(path);
    if (data === undefined) throw new Error(`no such file in the fake sandbox: ${path}`);
    return data;
  }

  async writeFile(path: string, data: Buffer | string, _opts?: WriteFileOptions): Promise<void> {
    this.files.set(path, typeof data === 'string' ? Buffer.from(data) : data);
  }

  async diff(baseCommit: string, opts: { excludePaths?: string[] } = {}): Promise<string> {
    const excludePaths = opts.excludePaths ?? [];
    this.diffs.push({ baseCommit, excludePaths });
    const diff = this.options.diff ?? '';
    return typeof diff === 'string' ? diff : diff(baseCommit, excludePaths);
  }

  async close(): Promise<void> {
    this.closed += 1;
  }
}

/** A provider of fake sandboxes: each start gives a new one (kept, with what it was started with). */
export class FakeSandboxProvider implements SandboxProvider {
  readonly started: { image: string; limits: Partial<SandboxLimits>; labels?: SandboxLabels; sandbox: FakeSandbox }[] =
    [];

  constructor(private readonly make: (n: number) => FakeSandboxOptions = () => ({})) {}

  async start(image: string, limits: Partial<SandboxLimits> = {}, labels?: SandboxLabels): Promise<FakeSandbox> {
    const sandbox = new FakeSandbox(this.make(this.started.length), `fake-${this.started.length}`);
    this.started.push({ image, limits, ...(labels ? { labels } : {}), sandbox });
    return sandbox;
  }
}
