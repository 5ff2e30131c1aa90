import type { Reliability } from '../stats/reliability.ts';
import { majorityTieRule } from '../stats/compute.ts';
import { formatEstimate } from '../stats/format.ts';
import type { EnsemblePoint, Estimate, LengthBuckets, MedianSplit, StatsResult } from '../stats/types.ts';
import type { Report } from './build.ts';
import type { ExpectedComparison } from './expected.ts';
import { fmtCount, fmtLevel, fmtNumber, fmtPercent, fmtRange } from './format.ts';
import { ruleLabel } from './headline.ts';

// Tables and lists shown by both report.md and report.html, as text cells (first row: header).

export function bucketTable(view: LengthBuckets, expected: ExpectedComparison['buckets'] = null): string[][] {
  const withExpected = expected !== null;
  const header = [
    'Bucket',
    'Mean length (range)',
    'Tasks',
    'Incoherence [CI]',
    'Pass rate',
    'Resolve rate',
    'Error',
    'Bias²',
    'Variance',
  ];
  if (withExpected) header.push('Expected incoherence', 'Expected error');
  const rows = (view.buckets ?? []).map((b, i) => {
    const f = b.figures;
    const cells = [
      String(b.index + 1),
      `${b.meanLength.toFixed(1)} (${fmtRange(b.range)})`,
      fmtCount(f.tasks),
      formatEstimate(f.incoherence),
      fmtPercent(f.passRate.value),
      fmtPercent(f.resolveRate?.value),
      fmtNumber(f.error.value),
      fmtNumber(f.bias2.value),
      fmtNumber(f.variance.value),
    ];
    if (withExpected) cells.push(fmtNumber(expected[i]?.expected.incoherence), fmtNumber(expected[i]?.expected.error));
    return cells;
  });
  return [header, ...rows];
}

export function medianSplitTable(split: MedianSplit): string[][] {
  const row = (label: string, f: MedianSplit['below']): string[] => [
    label,
    formatEstimate(f.incoherence),
    fmtPercent(f.passRate.value),
    fmtPercent(f.resolveRate?.value),
    fmtNumber(f.error.value),
    fmtNumber(f.bias2.value),
    fmtNumber(f.variance.value),
    fmtCount(f.unrolls),
  ];
  return [
    ['Unrolls', 'Incoherence [CI]', 'Pass rate', 'Resolve rate', 'Error', 'Bias²', 'Variance', 'Unrolls used'],
    row("below the task's median action count", split.below),
    row('at or above it', split.atOrAbove),
  ];
}

/** What the ensembling chart and table need said beside them: the estimator's (k − 1)/k factor and the tie rule. */
export function ensemblingText(stats: StatsResult): string[] {
  if (stats.ensembling.length === 0) return [];
  const votes = stats.ensembling.some((p) => p.size > 1);
  const factor = stats.options.unbiased
    ? 'This report uses the unbiased estimator (V · k/(k−1)), which removes that factor.'
    : 'so the plug-in variance falls faster than V / size as k shrinks; --unbiased removes that factor.';
  return [
    "Each task's unrolls are grouped, in unroll order, into disjoint ensembles; a size uses only the tasks with at least 2 ensembles (2 × size unrolls). " +
      'An ensemble predicting the mean of its members keeps bias² and has variance ≈ V / size, but with k ensembles per task the plug-in variance also carries the factor (k−1)/k (½ at k = 2)' +
      (stats.options.unbiased ? '. ' : ', ') +
      factor,
    ...(votes ? [majorityTieRule] : []),
  ];
}

export function ensemblingTable(points: readonly EnsemblePoint[]): string[][] {
  return [
    [
      'Ensemble size',
      'Tasks',
      'Ensembles per task',
      'Variance (mean)',
      'Incoherence (mean)',
      'Variance (majority)',
      'Incoherence (majority)',
      'Pass rate (majority)',
    ],
    ...points.map((p) => [
      String(p.size),
      fmtCount(p.mean.tasks),
      `≥${p.ensemblesPerTask}`,
      fmtNumber(p.mean.variance.value),
      formatEstimate(p.mean.incoherence),
      fmtNumber(p.majority.variance.value),
      formatEstimate(p.majority.incoherence),
      fmtPercent(p.majority.passRate.value),
    ]),
  ];
}

/** pass@k and pass^k for k = 1…R (unbiased over each task's unrolls, averaged over tasks), and the flip share. */
export function reliabilityTable(r: Reliability): string[][] {
  return [
    ['k', 'pass@k (any of k resolves)', 'pass^k (all k resolve)'],
    ...r.k.map((k) => [String(k), fmtPercent(r.passAtK[k - 1]), fmtPercent(r.passHatK[k - 1])]),
  ];
}

export function reliabilityText(r: Reliability): string {
  return `${fmtPercent(r.flipShare)} of tasks flip between unrolls (some resolve, some do not). pass@k and pass^k are the unbiased estimators over each task's unrolls, averaged over tasks.`;
}

export function taskTable(report: Report): string[][] {
  const expected = new Map((report.expected?.tasks ?? []).map((t) => [t.instance_id, t.expected]));
  const header = [
    'Task',
    'Unrolls',
    'Tests (F2P/P2P)',
    'Mean actions',
    'Median actions',
    'Limit-stopped',
    'Pass rate',
    'Resolve rate',
    'Error',
    'Bias²',
    'Variance',
    'Incoherence',
  ];
  if (report.expected !== null) header.push('Expected incoherence');
  const rows = report.stats.tasks.map((t) => {
    const cells = [
      t.instance_id,
      String(t.unrolls),
      `${t.tests} (${t.failToPass}/${t.passToPass})`,
      t.meanActions.toFixed(1),
      String(t.medianActions),
      String(t.limitStopped),
      fmtPercent(t.passRate),
      fmtPercent(t.resolveRate),
      fmtNumber(t.error),
      fmtNumber(t.bias2),
      fmtNumber(t.variance),
      fmtNumber(t.incoherence),
    ];
    if (report.expected !== null) cells.push(fmtNumber(expected.get(t.instance_id)?.incoherence));
    return cells;
  });
  return [header, ...rows];
}

export interface CritiqueCheck {
  readonly check: string;
  readonly finding: string;
  /** true/false for an identity that must hold; null for a figure shown for context. */
  readonly holds: boolean | null;
}

const close = (a: number | null, b: number | null): boolean =>
  (a === null && b === null) || (a !== null && b !== null && Math.abs(a - b) < 1e-9);

/** DESIGN.md §7's critique checks, shown beside the headline. */
export function critiqueChecks(report: Report): CritiqueCheck[] {
  const { stats } = report;
  const plugIn = !stats.options.unbiased;
  const resolved = stats.critique.resolvedOutcome.incoherence.value;
  const weighted = stats.critique.failureWeightedResolveRate;
  const identityTasks = stats.tasks.filter((t) => close(t.incoherence, t.passRateIdentity)).length;
  const f2p = stats.categories.FAIL_TO_PASS;
  const p2p = stats.categories.PASS_TO_PASS;
  const rules = stats.limitRule;
  const delta =
    rules.no_change.incoherence.value !== null && rules.grade.incoherence.value !== null
      ? rules.grade.incoherence.value - rules.no_change.incoherence.value
      : null;
  return [
    {
      check: 'One binary outcome: incoherence is a failure-weighted pass rate',
      finding:
        `Scoring each unroll only as resolved or not gives incoherence ${fmtNumber(resolved)}; Σp(1−p)/Σ(1−p) over the tasks' resolve rates p is ${fmtNumber(weighted)}` +
        (plugIn ? '.' : ' (they differ under the unbiased estimator).'),
      holds: plugIn ? close(resolved, weighted) : null,
    },
    {
      check: 'Per task: incoherence = Σ_j p_j(1−p_j) / Σ_j (1−p_j)',
      finding: `${identityTasks} of ${stats.tasks.length} tasks match their per-test pass-rate identity${plugIn ? '' : ' (not expected under the unbiased estimator)'}.`,
      holds: plugIn ? identityTasks === stats.tasks.length : null,
    },
    {
      check: 'Plain pass rate beside the incoherence',
      finding: `Overall incoherence ${formatEstimate(stats.overall.incoherence)} at a test pass rate of ${fmtPercent(stats.overall.passRate.value)} and a resolve rate of ${fmtPercent(stats.overall.resolveRate?.value)}.`,
      holds: null,
    },
    {
      check: 'FAIL_TO_PASS vs PASS_TO_PASS',
      finding: stats.resolvedOnly
        ? 'Not applicable: resolved-only data has the one test "resolved" per task.'
        : `FAIL_TO_PASS: incoherence ${formatEstimate(f2p?.incoherence ?? null)}, error ${fmtNumber(f2p?.error.value)}; ` +
          `PASS_TO_PASS: incoherence ${formatEstimate(p2p?.incoherence ?? null)}, error ${fmtNumber(p2p?.error.value)}.`,
      holds: null,
    },
    {
      check: 'Effect of the limit-reached rule',
      finding:
        `${fmtCount(rules.limitStopped)} unroll(s) stopped at a limit. Incoherence ${fmtNumber(rules.no_change.incoherence.value)} under "${ruleLabel.no_change}" vs ` +
        `${fmtNumber(rules.grade.incoherence.value)} under "${ruleLabel.grade}" (difference ${delta === null ? '—' : (delta >= 0 ? '+' : '') + delta.toFixed(3)}); "${ruleLabel[rules.applied]}" is applied.`,
      holds: null,
    },
  ];
}

/** Counts and settings, as label/value pairs. */
export function countRows(report: Report): [string, string][] {
  const { counts, options } = report.stats;
  const statuses = Object.entries(counts.gradingStatus)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([status, n]) => `${status} ${fmtCount(n)}`)
    .join(', ');
  const span = (r: { min: number; max: number }): string => (r.min === r.max ? String(r.min) : `${r.min}–${r.max}`);
  const rows: [string, string][] = [
    ['Unroll records', fmtCount(counts.records)],
    ['Used in the statistics', fmtCount(counts.used)],
    [
      'Infrastructure failures (left out, reported apart)',
      [
        fmtCount(counts.infraErrors),
        ...report.infraFailures.map((g) => `${fmtCount(g.count)} × ${g.reason} (e.g. ${g.example})`),
      ].join('; '),
    ],
    ['Stopped at a limit (graded by the limit rule)', fmtCount(counts.limitStopped)],
    ['Tasks analysed', fmtCount(counts.tasks)],
    [
      'Tasks skipped',
      counts.skippedTasks.length === 0
        ? '0'
        : counts.skippedTasks.map((s) => `${s.instance_id} (${s.reason})`).join('; '),
    ],
    [
      'Unrolls per task',
      `${span(counts.unrollsPerTask)}${report.run.unrollsRequested === null ? '' : ` (requested ${report.run.unrollsRequested})`}`,
    ],
    ['Tests per task', span(counts.testsPerTask)],
    ['Grading status of used unrolls', statuses || '—'],
    ['Resolved-only data (one test per task)', report.stats.resolvedOnly ? 'yes' : 'no'],
    ['Imported records', report.stats.imported ? 'yes' : 'no'],
    ['Limit rule applied', `${ruleLabel[options.limitRule]} (${options.limitRule})`],
    ['Estimator', options.unbiased ? 'unbiased (V·R/(R−1))' : 'plug-in (1/R), as the paper'],
    ['Length buckets', String(options.buckets)],
    [
      'Bootstrap',
      options.bootstrap.resamples === 0
        ? 'none (no confidence intervals)'
        : `${fmtCount(options.bootstrap.resamples)} resamples over tasks${options.bootstrap.overUnrolls ? ' and unrolls' : ''}, seed ${options.bootstrap.seed}, ${fmtLevel(options.bootstrap.level)} intervals`,
    ],
  ];
  return rows;
}

/** The run's metadata, as label/value pairs. */
export function runRows(report: Report): [string, string][] {
  const { run } = report;
  return [
    ['Run id', run.runId],
    ['Kind', run.kind],
    ['Created', run.createdAt],
    ['Model', run.model],
    ['Simulated agent', run.simulated ? 'yes: calibration run' : 'no'],
    ['Instances', run.instancesSource ?? '—'],
    ['Unrolls per task requested', run.unrollsRequested === null ? '—' : String(run.unrollsRequested)],
    [
      'Limits',
      run.limits === null
        ? '—'
        : Object.entries(run.limits)
            .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
            .join(', '),
    ],
    [
      'Versions',
      Object.entries(run.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['Base seed', String(run.seed)],
    ['Report generated', report.generatedAt],
  ];
}

/** Overall expected vs measured figures of a simulated run, and whether each expectation lies in the interval. */
export function expectedTable(comparison: ExpectedComparison): string[][] {
  const overall = comparison.overall;
  if (overall === null) return [];
  const { expected: e, measured: m } = overall;
  const inside = (value: number | null, est: Estimate | null): string => {
    if (value === null || est === null || est.lo === null || est.hi === null) return '—';
    return value >= est.lo - 1e-12 && value <= est.hi + 1e-12 ? 'yes' : 'no';
  };
  const row = (
    label: string,
    value: number | null,
    est: Estimate | null,
    format: (v: number | null) => string,
  ): string[] => [label, format(value), formatEstimate(est, { value: format }), inside(value, est)];
  return [
    ['Figure (rule "no change")', 'Expected', 'Measured [CI]', 'Expected inside the interval'],
    row('Incoherence', e.incoherence, m.incoherence, fmtNumber),
    row('Error', e.error, m.error, fmtNumber),
    row('Bias²', e.bias2, m.bias2, fmtNumber),
    row('Variance', e.variance, m.variance, fmtNumber),
    row('Pass rate', e.passRate, m.passRate, fmtPercent),
    row('Resolve rate', e.resolveRate, m.resolveRate, fmtPercent),
  ];
}
