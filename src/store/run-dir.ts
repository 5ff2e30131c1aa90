import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { InputError, errorMessage } from '../errors.ts';
import { logsDir, repoRoot } from '../paths.ts';
import { RunStoreError } from './errors.ts';
import { JsonlAppender } from './jsonl-append.ts';
import { artifactPath, runFiles, type ArtifactKind } from './layout.ts';
import { parseJsonl, type LineProblem } from './read-jsonl.ts';
import { acquireRunLock, type RunLock } from './run-lock.ts';
import { checkRunId, newRunId } from './run-id.ts';
import { predictionSchema, runJsonSchema, type Prediction, type RunJson } from './run-json.ts';
import { unrollRecordSchema, type UnrollRecord } from './unroll-record.ts';

export interface CreateRunOptions {
  /** Parent of the run directory; default `logs/` (or $HOTMESS_LOGS). */
  readonly root?: string;
  /** A user-given id; default a new sortable id (newRunId). */
  readonly runId?: string;
  readonly kind?: RunJson['kind'];
  readonly config: Record<string, unknown>;
  readonly seeds: RunJson['seeds'];
  /** Extra versions (model ids, harness revision); hotmess's and Node's are always recorded. */
  readonly versions?: Record<string, string>;
  readonly now?: Date;
  readonly onWarning?: (message: string) => void;
}

export interface OpenRunOptions {
  readonly onWarning?: (message: string) => void;
}

/** What unrolls.jsonl holds, validated line by line. */
export interface UnrollsRead {
  /** One record per (instance_id, unroll), in file order (see `duplicates`). */
  readonly records: UnrollRecord[];
  /** Lines that are not JSON or not an UnrollRecord, by line number; they are left out. */
  readonly problems: LineProblem[];
  /** Torn last line of a killed writer (left out), if any. */
  readonly tornTail: { readonly line: number; readonly bytes: number } | null;
  /** Lines repeating an (instance_id, unroll): a clean record wins over an infra error, then the later line. */
  readonly duplicates: number;
  /** One sentence per anomaly above, ready to print. */
  readonly warnings: string[];
}

const defaultWarning = (message: string): void => {
  process.stderr.write(`hotmess: warning: ${message}\n`);
};

/**
 * Creates `logs/<run-id>/` with its run.json, locked for writing; fails if that run already exists. run.json is
 * checked before anything is written, and written in a hidden folder that is then renamed into place, so the run
 * directory appears only with its run.json: a refused or interrupted start leaves nothing that blocks its run id.
 * An empty directory of that name (left by an older hotmess) is taken over.
 */
export async function createRunDir(options: CreateRunOptions): Promise<RunDir> {
  const now = options.now ?? new Date();
  const runId = options.runId === undefined ? newRunId(now) : checkRunId(options.runId);
  const root = path.resolve(options.root ?? logsDir());
  const dir = path.join(root, runId);
  const run = checkRecord(
    runJsonSchema,
    {
      format: 'hotmess.run/1',
      run_id: runId,
      created_at: now.toISOString(),
      kind: options.kind ?? 'run',
      versions: { ...options.versions, hotmess: await hotmessVersion(), node: process.versions.node },
      seeds: options.seeds,
      config: options.config,
    },
    'run.json',
  );
  const exists = (err: unknown) =>
    new RunStoreError(`Run directory ${dir} already exists: resume it or choose another run id.`, dir, err);
  if (await isNonEmptyDir(dir)) throw exists(undefined);
  const staging = path.join(root, `.${runId}.${process.pid}.${randomBytes(4).toString('hex')}.new`);
  try {
    await mkdir(root, { recursive: true });
    await mkdir(staging);
    await writeFileAtomic(path.join(staging, runFiles.runJson), `${JSON.stringify(run, null, 2)}\n`);
    // rename(2) replaces an empty directory but never a non-empty one, so a run created meanwhile is kept.
    await rename(staging, dir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') throw exists(err);
    if (err instanceof RunStoreError) throw err;
    throw new RunStoreError(`Cannot create run directory ${dir} (${errorMessage(err)}).`, dir, err);
  }
  const onWarning = options.onWarning ?? defaultWarning;
  const lock = await acquireRunLock(dir, onWarning);
  return new RunDir(dir, run, lock, onWarning);
}

async function isNonEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code === 'ENOTDIR') return true;
    throw new RunStoreError(`Cannot read ${dir} (${errorMessage(err)}).`, dir, err);
  }
}

/**
 * Opens an existing run directory to resume it or add to it, locked for writing until `close()`: a second
 * writer (another `--resume` of a live run) is refused with RunLockedError. Readers use `readUnrolls`.
 */
export async function openRunDir(dir: string, options: OpenRunOptions = {}): Promise<RunDir> {
  const resolved = path.resolve(dir);
  const run = await readRunJson(resolved);
  const onWarning = options.onWarning ?? defaultWarning;
  return new RunDir(resolved, run, await acquireRunLock(resolved, onWarning), onWarning);
}

export async function readRunJson(dir: string): Promise<RunJson> {
  const file = path.join(dir, runFiles.runJson);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    // Bad input, as a path that does not exist is (exit 2), not a failure of the store.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(
        `${dir} is not a hotmess run directory (it has no ${runFiles.runJson}).`,
        file,
        undefined,
        err,
      );
    }
    throw new RunStoreError(`Cannot read ${file} (${errorMessage(err)}).`, file, err);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file} is not valid JSON (${errorMessage(err)}).`, file, undefined, err);
  }
  const checked = runJsonSchema.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new InputError(
      `${file} is not a valid run.json (${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'bad shape'}).`,
      file,
    );
  }
  return checked.data;
}

/** Reads unrolls.jsonl of a run directory; a missing file is an empty run. */
export async function readUnrolls(dir: string): Promise<UnrollsRead> {
  const file = path.join(dir, runFiles.unrolls);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { records: [], problems: [], tornTail: null, duplicates: 0, warnings: [] };
    throw new RunStoreError(`Cannot read ${file} (${errorMessage(err)}).`, file, err);
  }
  const parsed = parseJsonl(text, unrollRecordSchema);
  const { records, duplicates } = dedupe(parsed.values);
  const warnings = parsed.problems.map((p) => `${file}:${p.line}: skipped a bad line: ${p.message}.`);
  if (parsed.tornTail) {
    warnings.push(
      `${file}:${parsed.tornTail.line}: ignored a torn last line (${parsed.tornTail.bytes} bytes) left by an interrupted write.`,
    );
  }
  if (duplicates > 0)
    warnings.push(
      `${file}: ${duplicates} line(s) repeat an (instance, unroll) already recorded; one record of each was kept.`,
    );
  return { records, problems: parsed.problems, tornTail: parsed.tornTail, duplicates, warnings };
}

/** A completed record replaces an infra error for the same unroll (a retry after resume); otherwise the later line wins. */
function dedupe(values: UnrollRecord[]): { records: UnrollRecord[]; duplicates: number } {
  const byKey = new Map<string, number>();
  const kept: (UnrollRecord | undefined)[] = [];
  let duplicates = 0;
  for (const record of values) {
    const key = unrollKey(record.instance_id, record.unroll);
    const at = byKey.get(key);
    if (at === undefined) {
      byKey.set(key, kept.length);
      kept.push(record);
      continue;
    }
    duplicates++;
    const previous = kept[at];
    if (previous !== undefined && previous.infra_error === null && record.infra_error !== null) continue;
    kept[at] = undefined;
    byKey.set(key, kept.length);
    kept.push(record);
  }
  return { records: kept.filter((r): r is UnrollRecord => r !== undefined), duplicates };
}

export function unrollKey(instanceId: string, unroll: number): string {
  return `${instanceId}\u0000${unroll}`;
}

/** A run directory being written: appends unroll records and predictions, writes per-unroll artifacts. */
export class RunDir {
  private unrollsAppender: Promise<JsonlAppender> | undefined;
  private predictionsAppender: Promise<JsonlAppender> | undefined;
  /** Every write to unrolls.jsonl, appends and replacements, one after the other. */
  private unrollWrites: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    readonly run: RunJson,
    private readonly lock: RunLock,
    private readonly onWarning: (message: string) => void,
  ) {}

  get runId(): string {
    return this.run.run_id;
  }

  /** Validates and appends one finished unroll to unrolls.jsonl (one write, fsynced). */
  async appendUnroll(record: UnrollRecord): Promise<void> {
    await this.appendUnrolls([record]);
  }

  /** Appends several records with a single write and sync (for bulk writers such as import). */
  async appendUnrolls(records: readonly UnrollRecord[]): Promise<void> {
    const checked = records.map((record) => checkRecord(unrollRecordSchema, record, 'unroll record'));
    await this.writeUnrolls(async () => {
      await (await this.openUnrolls()).appendMany(checked);
    });
  }

  /**
   * Puts a record in place of the line(s) unrolls.jsonl already holds for its (instance, unroll): an unroll run
   * again by --resume after an infrastructure failure, so that the file keeps one line per unroll. The file is
   * written anew and renamed over the old one, so a crash leaves either the old line or the new one.
   */
  async replaceUnroll(record: UnrollRecord): Promise<void> {
    const checked = checkRecord(unrollRecordSchema, record, 'unroll record');
    const key = unrollKey(checked.instance_id, checked.unroll);
    await this.writeUnrolls(async () => {
      // Opened first so that a torn last line is repaired; closed so that no append goes to the replaced file.
      const appender = await this.openUnrolls();
      this.unrollsAppender = undefined;
      await appender.close();
      const file = path.join(this.dir, runFiles.unrolls);
      const text = await readFile(file, 'utf8').catch((err: unknown) => {
        throw new RunStoreError(`Cannot read ${file} (${errorMessage(err)}).`, file, err);
      });
      const kept = text.split('\n').filter((line) => line.trim() !== '' && lineKey(line) !== key);
      await writeFileAtomic(file, [...kept, JSON.stringify(checked)].map((line) => `${line}\n`).join(''), {
        sync: true,
      });
    });
  }

  /** Appends lines to predictions.jsonl (SWE-bench format plus `unroll`). */
  async appendPredictions(predictions: readonly Prediction[]): Promise<void> {
    const checked = predictions.map((p) => checkRecord(predictionSchema, p, 'prediction'));
    this.predictionsAppender ??= JsonlAppender.open(path.join(this.dir, runFiles.predictions), {
      onWarning: this.onWarning,
    });
    await (await this.predictionsAppender).appendMany(checked);
  }

  /**
   * Makes predictions.jsonl hold exactly one line per usable record (a clean one, not an infrastructure
   * failure): a kill between a prediction and its record leaves a prediction that reruns would repeat, and
   * the patch of a record may be on disk without its prediction line. Run before resuming a run.
   */
  async reconcilePredictions(records: readonly UnrollRecord[]): Promise<{ removed: number; added: number }> {
    const file = path.join(this.dir, runFiles.predictions);
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw new RunStoreError(`Cannot read ${file} (${errorMessage(err)}).`, file, err);
    });
    const lines = parseJsonl(text, predictionSchema).values;
    const byKey = new Map<string, Prediction>();
    for (const p of lines) byKey.set(unrollKey(p.instance_id, p.unroll), p);
    const kept: Prediction[] = [];
    let added = 0;
    for (const record of records) {
      if (record.infra_error !== null || record.imported) continue;
      const existing = byKey.get(unrollKey(record.instance_id, record.unroll));
      if (existing) {
        kept.push(existing);
        continue;
      }
      const patch = await readFile(artifactPath(this.dir, 'patch', record.instance_id, record.unroll), 'utf8').catch(
        () => undefined,
      );
      if (patch === undefined) continue;
      kept.push({
        instance_id: record.instance_id,
        model_name_or_path: record.model,
        model_patch: patch,
        unroll: record.unroll,
      });
      added += 1;
    }
    const removed = lines.length - (kept.length - added);
    if (removed === 0 && added === 0) return { removed, added };
    const open = this.predictionsAppender;
    this.predictionsAppender = undefined;
    if (open) await (await open).close();
    await writeFileAtomic(file, kept.map((p) => `${JSON.stringify(p)}\n`).join(''));
    return { removed, added };
  }

  writeTrajectory(instanceId: string, unroll: number, trajectory: unknown): Promise<string> {
    return this.writeArtifact('trajectory', instanceId, unroll, `${JSON.stringify(trajectory, null, 1)}\n`);
  }

  writePatch(instanceId: string, unroll: number, diff: string): Promise<string> {
    return this.writeArtifact('patch', instanceId, unroll, diff);
  }

  writeGradingLog(instanceId: string, unroll: number, log: string): Promise<string> {
    return this.writeArtifact('grading', instanceId, unroll, log);
  }

  readUnrolls(): Promise<UnrollsRead> {
    return readUnrolls(this.dir);
  }

  /** Waits for pending appends, closes the files and releases the run lock. */
  async close(): Promise<void> {
    await this.unrollWrites;
    const appenders = [this.unrollsAppender, this.predictionsAppender];
    this.unrollsAppender = undefined;
    this.predictionsAppender = undefined;
    try {
      for (const appender of appenders) if (appender) await (await appender).close();
    } finally {
      await this.lock.release();
    }
  }

  private openUnrolls(): Promise<JsonlAppender> {
    this.unrollsAppender ??= JsonlAppender.open(path.join(this.dir, runFiles.unrolls), { onWarning: this.onWarning });
    return this.unrollsAppender;
  }

  private writeUnrolls(write: () => Promise<void>): Promise<void> {
    const done = this.unrollWrites.then(write);
    this.unrollWrites = done.catch(() => undefined);
    return done;
  }

  private async writeArtifact(
    kind: ArtifactKind,
    instanceId: string,
    unroll: number,
    content: string,
  ): Promise<string> {
    const file = artifactPath(this.dir, kind, instanceId, unroll);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, content);
    return file;
  }
}

function checkRecord<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const checked = schema.safeParse(value);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  throw new InputError(
    `Refusing to store an invalid ${what} (${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'bad shape'}).`,
  );
}

/** The (instance, unroll) key of a line of unrolls.jsonl, if it has one. */
function lineKey(line: string): string | undefined {
  try {
    const value = JSON.parse(line) as { instance_id?: unknown; unroll?: unknown };
    return typeof value.instance_id === 'string' && typeof value.unroll === 'number'
      ? unrollKey(value.instance_id, value.unroll)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Write-then-rename, so a reader never sees half a file; `sync` makes the content durable before the rename. */
async function writeFileAtomic(file: string, content: string, options: { sync?: boolean } = {}): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    if (options.sync) {
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } else await writeFile(tmp, content);
    await rename(tmp, file);
  } catch (err) {
    throw new RunStoreError(`Cannot write ${file} (${errorMessage(err)}).`, file, err);
  }
}

let version: Promise<string> | undefined;
function hotmessVersion(): Promise<string> {
  version ??= readFile(path.join(repoRoot, 'package.json'), 'utf8').then(
    (text) => String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown'),
    () => 'unknown',
  );
  return version;
}
