import { createHash } from 'node:crypto';
import path from 'node:path';
import { agentLimitsSchema } from '../agent/limits.ts';
import type { ModelOptionsInput } from '../models/spec.ts';
import type { SweepConfig } from '../run/sweep.ts';
import { settingNames, type CellSettings, type SettingName, type SweepFile } from './schema.ts';

/** One cell of the matrix: an ordinary run under logs/sweeps/<name>/<sweep id>/<cell name>/. */
export interface Cell {
  readonly name: string;
  /** The defaults with this cell's matrix values over them. */
  readonly settings: CellSettings;
}

/**
 * Every combination of the matrix's values, in file order (the last axis varies fastest), over the defaults.
 * A cell is named by the values of the axes that vary (`model-sim_temperature-0.5`), so that a setting held the
 * same for every cell (e.g. a shifted model on another night) keeps the names, and so the nightly comparison.
 * With no varying axis there is one cell, named after its model.
 */
export function expandCells(sweep: Pick<SweepFile, 'defaults' | 'matrix'>): Cell[] {
  const axes = settingNames
    .map((name) => [name, sweep.matrix[name] as readonly unknown[] | undefined] as const)
    .filter((axis): axis is readonly [SettingName, readonly unknown[]] => axis[1] !== undefined);
  let combos: Partial<Record<SettingName, unknown>>[] = [{}];
  for (const [name, values] of axes) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  const varying = axes.filter(([, values]) => new Set(values.map((v) => JSON.stringify(v))).size > 1);
  const cells = combos.map((combo) => {
    const settings = { ...sweep.defaults, ...combo } as CellSettings;
    const name =
      varying.length === 0
        ? slug(settings.model ?? 'cell')
        : varying.map(([axis]) => `${axis}-${slug(String(combo[axis]))}`).join('_');
    return { name, settings };
  });
  // Duplicate values in one axis give the same cell twice: number them apart.
  const seen = new Map<string, number>();
  return cells.map((cell) => {
    const n = (seen.get(cell.name) ?? 0) + 1;
    seen.set(cell.name, n);
    return n === 1 ? cell : { ...cell, name: `${cell.name}-${n}` };
  });
}

function slug(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return cleaned.length > 60 ? `${cleaned.slice(0, 48)}-${hash(text).slice(0, 10)}` : cleaned || 'x';
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The seed of a sweep whose file gives none: derived from its id, so each night draws afresh. */
export function sweepSeed(sweep: Pick<SweepFile, 'seed'>, sweepId: string): number {
  return sweep.seed ?? createHash('sha256').update(`hotmess-sweep\0${sweepId}`).digest().readUInt32BE(0) >>> 1;
}

/** What the run driver (src/run/sweep.ts) takes for one cell. */
export function cellConfig(
  sweep: SweepFile,
  cell: Cell,
  context: { instancesSource: string; instanceIds: string[]; seed: number; sweepFileDir: string },
): SweepConfig {
  const s = cell.settings;
  const l = sweep.limits;
  const modelOptions: ModelOptionsInput = {
    ...(s.temperature === undefined ? {} : { temperature: s.temperature }),
    ...(s.max_tokens === undefined ? {} : { maxTokens: s.max_tokens }),
    ...(s.thinking_budget === undefined ? {} : { thinkingBudget: s.thinking_budget }),
    ...(s.reasoning_effort === undefined ? {} : { reasoningEffort: s.reasoning_effort }),
    ...(s.sim_drift === undefined ? {} : { simDrift: s.sim_drift }),
    ...(s.sim_drift_from === undefined ? {} : { simDriftFrom: s.sim_drift_from }),
  };
  const seconds = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 1000));
  const limits = agentLimitsSchema.parse(
    Object.fromEntries(
      Object.entries({
        maxActions: l.max_actions,
        maxMessages: l.max_messages,
        maxWallMs: seconds(l.time_limit),
        maxCostUsd: l.max_cost,
        commandTimeoutMs: seconds(l.command_timeout),
        maxDiskBytes: l.max_disk === undefined ? undefined : Math.round(l.max_disk * 1024 ** 3),
      }).filter(([, v]) => v !== undefined),
    ),
  );
  return {
    instancesSource: context.instancesSource,
    instanceIds: context.instanceIds,
    model: s.model as string,
    modelOptions,
    unrolls: sweep.unrolls,
    seed: context.seed,
    limits,
    testTimeoutMs: seconds(l.test_timeout) ?? 1_800_000,
    infraRetries: 2,
    execMode: 'persistent',
    ...(s.prompt_variant === undefined ? {} : { promptsDir: path.resolve(context.sweepFileDir, s.prompt_variant) }),
  };
}
