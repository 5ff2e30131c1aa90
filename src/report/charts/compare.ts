import { scaleBand, scaleLinear } from 'd3-scale';
import { formatEstimate } from '../../stats/format.ts';
import type { LengthBuckets } from '../../stats/types.ts';
import { fmtRange } from '../format.ts';
import {
  defaultFrame,
  emptyChart,
  esc,
  fractionTop,
  legend,
  palette,
  px,
  svgOpen,
  title,
  whisker,
  xAxisCategories,
  yAxis,
  type Frame,
} from './svg.ts';

export interface CompareSeries {
  readonly runId: string;
  readonly buckets: LengthBuckets;
}

/**
 * Incoherence by action-count bucket for several runs: bucket b of each run side by side (buckets hold the
 * same share of each run's tasks, not the same lengths), one colour per run, with bootstrap intervals.
 */
export function compareBucketsChart(runs: readonly CompareSeries[]): string {
  const chart = 'compare-incoherence-actions';
  const drawable = runs.filter((r) => r.buckets.buckets !== null);
  const count = Math.max(0, ...drawable.map((r) => r.buckets.buckets?.length ?? 0));
  const frame: Frame = { ...defaultFrame, width: Math.max(defaultFrame.width, 120 + count * runs.length * 22) };
  if (count === 0) return emptyChart(chart, frame, 'No run has action-count buckets to compare.');
  const keys = Array.from({ length: count }, (_, b) => String(b));
  const x = scaleBand<string>()
    .domain(keys)
    .range([frame.left, frame.width - frame.right])
    .padding(0.2);
  const inner = scaleBand<string>()
    .domain(runs.map((_, k) => String(k)))
    .range([0, x.bandwidth()])
    .padding(0.06);
  const values = drawable.flatMap((r) =>
    (r.buckets.buckets ?? []).flatMap((b) => [b.figures.incoherence.value, b.figures.incoherence.hi]),
  );
  const y = scaleLinear()
    .domain([0, fractionTop(values)])
    .nice()
    .range([frame.height - frame.bottom, frame.top]);
  const marks: string[] = [];
  runs.forEach((run, k) => {
    const color = palette.runs[k % palette.runs.length] as string;
    for (const bucket of run.buckets.buckets ?? []) {
      const inc = bucket.figures.incoherence;
      if (inc.value === null) continue;
      const left = (x(String(bucket.index)) ?? 0) + (inner(String(k)) ?? 0);
      marks.push(
        `<rect data-mark="bar" data-run="${esc(run.runId)}" data-bucket="${bucket.index}" data-value="${inc.value}" x="${px(left)}" y="${px(y(inc.value))}" ` +
          `width="${px(inner.bandwidth())}" height="${px(y(0) - y(inc.value))}" fill="${color}">${title(
            `${run.runId}, bucket ${bucket.index + 1} (mean actions ${fmtRange(bucket.range)}, ${bucket.figures.tasks} tasks): incoherence ${formatEstimate(inc)}`,
          )}</rect>`,
      );
      if (inc.lo !== null && inc.hi !== null) {
        marks.push(
          whisker(
            left + inner.bandwidth() / 2,
            y(inc.lo),
            y(inc.hi),
            `data-run="${esc(run.runId)}" data-bucket="${bucket.index}"`,
            2,
          ),
        );
      }
    }
  });
  const labels = new Map(keys.map((k) => [k, `bucket ${Number(k) + 1}`]));
  return (
    `${svgOpen(chart, frame, 'Incoherence by action-count bucket, per run')}` +
    yAxis(y, frame, 'incoherence') +
    xAxisCategories(x, labels, frame, 'action-count bucket (1 = shortest tasks of each run)') +
    legend(
      frame,
      runs.map((r, k) => ({ label: r.runId, color: palette.runs[k % palette.runs.length] as string })),
    ) +
    `<g class="marks">${marks.join('')}</g></svg>`
  );
}
