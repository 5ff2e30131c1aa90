import type Docker from 'dockerode';
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HotmessError, InputError, UsageError } from '../errors.ts';
import { filterInstances } from '../instances/filter.ts';
import { formatProblem, loadInstances } from '../instances/load.ts';
import type { Instance } from '../instances/schema.ts';
import { logsDir, repoRoot } from '../paths.ts';
import { resumedConfig } from '../run/resume-plan.ts';
import type { QueueAddress } from '../queue/connection.ts';
import { runSweep, type SweepConfig, type SweepHooks, type SweepRequest, type SweepResult } from '../run/sweep.ts';
import type { SandboxProvider } from '../sandbox/types.ts';
import { openRunDir, readUnrolls } from '../store/run-dir.ts';
import { analyseCell, type CellAnalysis } from './analyse.ts';
import { cellConfig, expandCells, sweepSeed, type Cell } from './cells.ts';
import { previousOf, readHistory, recordHistory } from './history.ts';
import { lockSweep } from './lock.ts';
import { defaultRegression, loadSweepFile, type SweepFile } from './schema.ts';
import { newSweepId, taskSetHash, tasksRevision, unfinishedSweep, writeState, type SweepState } from './state.ts';
import { renderTrendPage } from './trend.ts';
import { describeBreach } from './verdict.ts';
import { postVerdict, type WebhookPayload } from './webhook.ts';
import { verdictMarkdown } from './verdict-table.ts';

/** The sweep stopped because it spent its budget; what finished is kept for `--resume` with a larger budget. */
export class SweepBudgetError extends HotmessError {
  constructor(message: string) {
    super('sweep_budget', message, { exitCode: 1 });
  }
}

/** A signal stopped the sweep; `--resume` goes on with it. */
export class SweepInterruptedError extends HotmessError {
  constructor(message: string) {
    super('interrupted', message, { exitCode: 130 });
  }
}

export interface NightlyRequest {
  readonly file: string;
  /** Go on with the latest unfinished sweep of this name (a new one when there is none). */
  readonly resume?: boolean;
  /** The new sweep's id (default: today's UTC date, with -2, -3… when taken). */
  readonly id?: string;
  /** Parent of sweeps/ (default logs/, or $HOTMESS_LOGS). */
  readonly logsRoot?: string;
  /** The engine and sandboxes of cells run here: both needed without `queue`. */
  readonly docker?: Docker;
  readonly provider?: SandboxProvider;
  /** Hand every cell's unrolls to the workers of this queue instead of running them here. */
  readonly queue?: QueueAddress;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  readonly retryDelayMs?: number;
  readonly onNote?: (text: string) => void;
  readonly onCell?: (cell: Cell, index: number, total: number, dir: string) => void;
  readonly runHooks?: SweepHooks;
}

export interface CellResult {
  readonly cell: Cell;
  readonly model: string;
  readonly runDir: string;
  readonly analysis: CellAnalysis;
}

export interface NightlyResult {
  readonly name: string;
  readonly sweepRoot: string;
  readonly sweepId: string;
  readonly dir: string;
  readonly resumed: boolean;
  readonly cells: CellResult[];
  readonly regression: boolean;
  readonly trendPage: string;
  readonly verdictFile: string;
  /** null: no webhook configured; 'sent'; or why it failed. */
  readonly webhook: string | null;
}

/**
 * `hotmess sweep <file>`: every cell of the matrix as an ordinary run under logs/sweeps/<name>/<id>/<cell>/,
 * one sweep at a time per name (sweep.lock), resumable as a whole; then each cell against the same cell of the
 * previous sweep, the verdict, history.jsonl, the trend page and the webhook.
 */
export async function runNightly(req: NightlyRequest): Promise<NightlyResult> {
  const note = (text: string) => req.onNote?.(text);
  const now = req.now ?? (() => new Date());
  const given = await loadSweepFile(req.file);
  const sweepRoot = path.join(req.logsRoot ?? logsDir(), 'sweeps', given.name);
  const lock = await lockSweep(sweepRoot, given.name, note);
  try {
    const open = req.resume ? await unfinishedSweep(sweepRoot) : null;
    if (req.resume && open === null) note(`no unfinished sweep of ${given.name} to resume: starting a new one`);
    if (open !== null && req.id !== undefined && open.state.id !== req.id)
      throw new UsageError(
        `--resume goes on with the unfinished sweep ${open.state.id}, so --id ${req.id} does not apply.`,
      );
    const { dir, state } = open ?? (await startSweep(given, req, sweepRoot, now()));
    if (open !== null) note(`resuming sweep ${state.id} of ${state.name} (started ${state.started_at})`);
    const cells = await runCells(state, dir, req, note);
    return await finish(state, dir, sweepRoot, cells, req, now(), open !== null, note);
  } finally {
    await lock.release();
  }
}

async function startSweep(
  sweep: SweepFile,
  req: NightlyRequest,
  sweepRoot: string,
  started: Date,
): Promise<{ dir: string; state: SweepState }> {
  const fileDir = path.dirname(path.resolve(req.file));
  const source = sweep.tasks.instances ?? sweep.tasks.dataset;
  const instancesSource =
    source === undefined ? path.join(repoRoot, 'instances', 'pocket') : path.resolve(fileDir, source);
  const instances = await selectTasks(sweep, instancesSource, req.onNote);
  const id = newSweepId(sweepRoot, started, req.id);
  const state: SweepState = {
    format: 'hotmess.sweep/1',
    name: sweep.name,
    id,
    file: path.resolve(req.file),
    spec: sweep,
    instances: instancesSource,
    instance_ids: instances.map((i) => i.instance_id),
    seed: sweepSeed(sweep, id),
    tasks_revision: await tasksRevision(instancesSource),
    task_set_hash: taskSetHash(instances),
    started_at: started.toISOString(),
    finished_at: null,
  };
  const dir = path.join(sweepRoot, id);
  await writeState(dir, state);
  return { dir, state };
}

async function selectTasks(sweep: SweepFile, source: string, onNote?: (t: string) => void): Promise<Instance[]> {
  const loaded = await loadInstances(source, { strict: sweep.tasks.strict });
  for (const problem of loaded.problems) onNote?.(`skipped a record: ${formatProblem(problem)}`);
  const selected = filterInstances(loaded.instances, {
    ...(sweep.tasks.instance_ids ? { ids: sweep.tasks.instance_ids } : {}),
    ...(sweep.tasks.repo ? { repos: sweep.tasks.repo } : {}),
    ...(sweep.tasks.filter !== undefined ? { idPattern: sweep.tasks.filter } : {}),
  });
  if (selected.length === 0) throw new InputError(`No instance in ${source} matches the sweep's tasks.`, source);
  return selected;
}

/** Runs (or resumes) every cell in turn, within the budget, and returns each cell's run directory and config. */
async function runCells(
  state: SweepState,
  dir: string,
  req: NightlyRequest,
  note: (text: string) => void,
): Promise<{ cell: Cell; config: SweepConfig; runDir: string }[]> {
  const sweep = state.spec;
  const cells = expandCells(sweep);
  const loaded = (await loadInstances(state.instances, { strict: sweep.tasks.strict })).instances;
  const wanted = new Set(state.instance_ids);
  const instances = loaded.filter((i) => wanted.has(i.instance_id));
  if (instances.length !== wanted.size)
    throw new InputError(`Some tasks of sweep ${state.id} are no longer in ${state.instances}, so it cannot go on.`);
  const budget = sweep.budget_usd;
  let spent = 0;
  const overBudget = new AbortController();
  const signal = req.signal ? AbortSignal.any([req.signal, overBudget.signal]) : overBudget.signal;
  const done: { cell: Cell; config: SweepConfig; runDir: string }[] = [];
  for (const [index, cell] of cells.entries()) {
    const runDir = path.join(dir, cell.name);
    req.onCell?.(cell, index, cells.length, runDir);
    let config = cellConfig(sweep, cell, {
      instancesSource: state.instances,
      instanceIds: state.instance_ids,
      seed: state.seed,
      sweepFileDir: path.dirname(state.file),
    });
    let run: SweepRequest['run'] = { kind: 'new', root: dir, runId: cell.name };
    if (existsSync(path.join(runDir, 'run.json'))) {
      const opened = await openRunDir(runDir);
      config = resumedConfig(opened.run.config, runDir);
      spent += (await opened.readUnrolls()).records.reduce((sum, r) => sum + r.cost_usd, 0);
      run = { kind: 'resume', dir: opened };
    }
    await runCell(req, {
      instances,
      config,
      concurrency: sweep.concurrency,
      run,
      signal,
      ...runOptions(
        req,
        note,
        (cost) => (spent += cost),
        budget,
        () => spent,
        overBudget,
      ),
    });
    if (overBudget.signal.aborted)
      throw new SweepBudgetError(
        `Sweep ${state.name} ${state.id} reached its budget of $${budget} ($${spent.toFixed(2)} spent) in cell ${cell.name}; the finished unrolls are kept in ${dir}: raise budget_usd and go on with hotmess sweep ${state.file} --resume.`,
      );
    if (req.signal?.aborted)
      throw new SweepInterruptedError(
        `Sweep ${state.name} ${state.id} was interrupted in cell ${cell.name}; the finished unrolls are kept in ${dir}: go on with hotmess sweep ${state.file} --resume.`,
      );
    done.push({ cell, config, runDir });
  }
  return done;
}

function runOptions(
  req: NightlyRequest,
  note: (text: string) => void,
  add: (cost: number) => void,
  budget: number | undefined,
  spent: () => number,
  overBudget: AbortController,
): { hooks: SweepHooks; retryDelayMs?: number } {
  return {
    hooks: {
      ...req.runHooks,
      onNote: req.runHooks?.onNote ?? note,
      onUnroll: (record) => {
        add(record.cost_usd);
        if (budget !== undefined && spent() >= budget) overBudget.abort();
        req.runHooks?.onUnroll?.(record);
      },
    },
    ...(req.retryDelayMs === undefined ? {} : { retryDelayMs: req.retryDelayMs }),
  };
}

/** One cell's run: in this process, or through the queue's workers (which keep their own concurrency). */
async function runCell(req: NightlyRequest, cell: Omit<SweepRequest, 'docker' | 'provider'>): Promise<SweepResult> {
  if (!req.queue) {
    if (!req.docker || !req.provider) throw new Error('runNightly runs cells here only with an engine and a provider');
    return runSweep({ ...cell, docker: req.docker, provider: req.provider });
  }
  const { runQueued } = await import('../queue/coordinator.ts');
  return runQueued({
    address: req.queue,
    instances: cell.instances,
    config: cell.config,
    run: cell.run,
    ...(cell.hooks ? { hooks: cell.hooks } : {}),
    ...(cell.signal ? { signal: cell.signal } : {}),
  });
}

async function finish(
  state: SweepState,
  dir: string,
  sweepRoot: string,
  cells: { cell: Cell; config: SweepConfig; runDir: string }[],
  req: NightlyRequest,
  finished: Date,
  resumed: boolean,
  note: (text: string) => void,
): Promise<NightlyResult> {
  const sweep = state.spec;
  const history = await readHistory(sweepRoot);
  for (const problem of history.problems) note(`warning: ${problem}`);
  const rules = sweep.regression ?? defaultRegression;
  const results: CellResult[] = [];
  for (const { cell, config, runDir } of cells) {
    const records = (await readUnrolls(runDir)).records;
    const before = previousOf(history.lines, cell.name, state.id);
    let previous = null;
    if (before !== undefined) {
      const prevDir = path.join(sweepRoot, before.run_dir);
      if (existsSync(prevDir)) previous = { line: before, records: (await readUnrolls(prevDir)).records };
      else note(`cell ${cell.name}: the previous sweep's run ${prevDir} is gone, so there is nothing to compare with`);
    }
    const analysis = analyseCell(
      {
        sweep: state.name,
        sweepId: state.id,
        date: state.started_at,
        finishedAt: finished.toISOString(),
        cell,
        model: config.model,
        runDir: path.relative(sweepRoot, runDir),
        tasksRevision: state.tasks_revision,
        taskSetHash: state.task_set_hash,
        instances: state.instances,
        unrolls: config.unrolls,
        seed: config.seed,
      },
      records,
      previous,
      { buckets: sweep.buckets, resamples: sweep.bootstrap, rules },
    );
    results.push({ cell, model: config.model, runDir, analysis });
  }
  await recordHistory(
    sweepRoot,
    results.map((r) => r.analysis.line),
  );
  const trendPage = path.join(sweepRoot, 'trend.html');
  await writeFile(trendPage, renderTrendPage(state.name, (await readHistory(sweepRoot)).lines));
  const verdictFile = path.join(dir, 'verdict.md');
  await writeFile(verdictFile, verdictMarkdown(state, results));
  await writeFile(
    path.join(dir, 'verdict.json'),
    `${JSON.stringify(
      results.map((r) => r.analysis.line),
      null,
      1,
    )}\n`,
  );
  await writeState(dir, { ...state, finished_at: finished.toISOString() });
  const regression = results.some((r) => r.analysis.verdict.status === 'regression');
  const webhook = await notify(state, results, regression, sweepRoot, trendPage, req.env ?? process.env);
  return {
    name: state.name,
    sweepRoot,
    sweepId: state.id,
    dir,
    resumed,
    cells: results,
    regression,
    trendPage,
    verdictFile,
    webhook,
  };
}

async function notify(
  state: SweepState,
  results: readonly CellResult[],
  regression: boolean,
  sweepRoot: string,
  trendPage: string,
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  const url = env[state.spec.webhook.url_env];
  if (url === undefined || url === '') return null;
  const base = state.spec.webhook.report_base_url;
  const report =
    base === undefined
      ? pathToFileURL(trendPage).href
      : `${base.replace(/\/+$/, '')}/${path.relative(sweepRoot, trendPage)}`;
  const payload: WebhookPayload = {
    format: 'hotmess.sweep-verdict/1',
    sweep: state.name,
    sweep_id: state.id,
    verdict: regression
      ? 'regression'
      : results.every((r) => r.analysis.verdict.status === 'no_baseline')
        ? 'no_baseline'
        : 'ok',
    report,
    cells: results.map((r) => ({
      cell: r.cell.name,
      model: r.model,
      verdict: r.analysis.verdict.status,
      against: r.analysis.line.comparison?.against ?? null,
      breaches: r.analysis.verdict.breaches.map(describeBreach),
    })),
  };
  const failure = await postVerdict(url, payload);
  return failure ?? 'sent';
}
