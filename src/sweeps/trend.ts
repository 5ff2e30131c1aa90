import { scaleLinear, scalePoint } from 'd3-scale';
import {
  esc,
  legend,
  palette,
  px,
  svgOpen,
  whisker,
  xAxisCategories,
  yAxis,
  type Frame,
} from '../report/charts/svg.ts';
import { reportCss } from '../report/html.ts';
import type { HistoryLine } from './history.ts';

interface TrendFigure {
  readonly key: string;
  readonly title: string;
  /** The point and its interval (null bounds: none) of a history line. */
  readonly of: (line: HistoryLine) => { value: number | null; lo: number | null; hi: number | null };
}

const at = (values: readonly number[], i: number) => values[i] ?? null;

const figures: readonly TrendFigure[] = [
  { key: 'resolve_rate', title: 'Resolve rate', of: (l) => l.figures.resolve_rate },
  { key: 'test_pass_rate', title: 'Test pass rate', of: (l) => l.figures.test_pass_rate },
  { key: 'error', title: 'Error', of: (l) => l.figures.error },
  { key: 'bias2', title: 'Bias²', of: (l) => l.figures.bias2 },
  { key: 'variance', title: 'Variance', of: (l) => l.figures.variance },
  { key: 'incoherence', title: 'Incoherence (variance / error)', of: (l) => l.figures.incoherence },
  { key: 'pass_at_1', title: 'pass@1', of: (l) => ({ value: at(l.reliability.pass_at_k, 0), lo: null, hi: null }) },
  {
    key: 'pass_hat_k',
    title: 'pass^k at the largest k (all k unrolls resolve)',
    of: (l) => ({ value: l.reliability.pass_hat_k.at(-1) ?? null, lo: null, hi: null }),
  },
  {
    key: 'flip_share',
    title: 'Share of tasks that flip',
    of: (l) => ({ value: l.reliability.flip_share, lo: null, hi: null }),
  },
];

const frame: Frame = { width: 640, height: 280, top: 16, right: 16, bottom: 64, left: 56 };

/** One figure over the sweeps, a line per cell, each point with its interval; a regression point is ringed. */
function trendChart(
  figure: TrendFigure,
  lines: readonly HistoryLine[],
  sweeps: readonly string[],
  cells: readonly string[],
): string {
  const x = scalePoint<string>()
    .domain(sweeps)
    .range([frame.left, frame.width - frame.right])
    .padding(0.5);
  const points = lines.map((l) => ({ line: l, ...figure.of(l) }));
  const top = Math.max(0.1, ...points.flatMap((p) => [p.value ?? 0, p.hi ?? 0]));
  const bottom = Math.min(0, ...points.flatMap((p) => [p.value ?? 0, p.lo ?? 0]));
  const y = scaleLinear()
    .domain([bottom, top * 1.05])
    .range([frame.height - frame.bottom, frame.top])
    .nice();
  const marks = cells
    .map((cell, c) => {
      const color = palette.runs[c % palette.runs.length] as string;
      const own = points.filter((p) => p.line.cell === cell && p.value !== null);
      const path = own.map((p) => `${px(x(p.line.sweep_id) ?? 0)},${px(y(p.value as number))}`).join(' ');
      const dots = own
        .map((p) => {
          const cx = x(p.line.sweep_id) ?? 0;
          const bar = p.lo !== null && p.hi !== null ? whisker(cx, y(p.lo), y(p.hi), `data-cell="${esc(cell)}"`) : '';
          const ring =
            p.line.verdict === 'regression'
              ? `<circle cx="${px(cx)}" cy="${px(y(p.value as number))}" r="7" fill="none" stroke="${palette.expected}" stroke-width="2" data-mark="regression"/>`
              : '';
          return (
            `${bar}<circle cx="${px(cx)}" cy="${px(y(p.value as number))}" r="3.5" fill="${color}" data-mark="point" data-cell="${esc(cell)}" data-sweep="${esc(p.line.sweep_id)}">` +
            `<title>${esc(`${cell} ${p.line.sweep_id}: ${(p.value as number).toFixed(3)}${p.lo !== null && p.hi !== null ? ` [${p.lo.toFixed(3)}, ${p.hi.toFixed(3)}]` : ''}`)}</title></circle>${ring}`
          );
        })
        .join('');
      return `<polyline points="${path}" fill="none" stroke="${color}" stroke-width="1.5"/>${dots}`;
    })
    .join('');
  return (
    svgOpen(`trend-${figure.key}`, frame, `${figure.title} over the sweeps, per cell`) +
    yAxis(y, frame, figure.title) +
    xAxisCategories(x, new Map(), frame, 'sweep') +
    marks +
    legend(
      frame,
      cells.map((cell, c) => ({ label: cell, color: palette.runs[c % palette.runs.length] as string })),
    ) +
    '</svg>'
  );
}

/** The trend page of a sweep: every figure over time per cell, with intervals; one self-contained HTML file. */
export function renderTrendPage(sweep: string, lines: readonly HistoryLine[]): string {
  const sweeps = [...new Set(lines.map((l) => l.sweep_id))];
  const cells = [...new Set(lines.map((l) => l.cell))];
  const simulated = lines.some((l) => l.model.startsWith('sim'));
  const rows = lines
    .map(
      (l) =>
        `<tr data-verdict="${l.verdict}"><td>${esc(l.sweep_id)}</td><td>${esc(l.cell)}</td><td>${esc(l.model)}</td><td>${l.tasks}</td>` +
        `<td>${l.figures.resolve_rate.value?.toFixed(3) ?? '—'}</td><td>${l.figures.incoherence.value?.toFixed(3) ?? '—'}</td>` +
        `<td>${esc(l.verdict === 'no_baseline' ? 'first' : l.verdict)}</td></tr>`,
    )
    .join('');
  const body =
    lines.length === 0
      ? '<p>No sweep has finished yet.</p>'
      : figures
          .map(
            (f) =>
              `<section id="${f.key}"><h2>${esc(f.title)}</h2><figure class="chart">${trendChart(f, lines, sweeps, cells)}</figure></section>`,
          )
          .join('') +
        `<section id="history"><h2>History</h2><table><thead><tr><th>Sweep</th><th>Cell</th><th>Model</th><th>Tasks</th><th>Resolve rate</th><th>Incoherence</th><th>Verdict</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>hotmess sweep ${esc(sweep)}: trends</title><style>${reportCss}</style></head><body>` +
    (simulated
      ? `<div class="sim-banner" role="alert" data-banner="simulated">⚠ SIMULATED AGENT in some cells: a calibration instrument, not a real model.</div>`
      : '') +
    `<h1>hotmess sweep ${esc(sweep)}</h1><p class="lede">${sweeps.length} sweep(s), ${cells.length} cell(s). Points carry their 95% bootstrap intervals over tasks; a ringed point is a cell whose verdict was a regression.</p>` +
    `${body}</body></html>\n`
  );
}
