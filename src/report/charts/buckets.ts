import { scaleBand, scaleLinear } from 'd3-scale';
import { formatEstimate } from '../../stats/format.ts';
import type { LengthBuckets, LengthMetric } from '../../stats/types.ts';
import { fmtPercent, fmtRange } from '../format.ts';
import {
  defaultFrame,
  emptyChart,
  fractionTop,
  legend,
  palette,
  px,
  svgOpen,
  title,
  whisker,
  xAxisCategories,
  yAxis,
} from './svg.ts';

export const metricTitle: Record<LengthMetric, string> = {
  actions: 'action count',
  output_tokens: 'output tokens',
  reasoning_tokens: 'reasoning tokens',
};

/**
 * Incoherence per equal-count length bucket: one bar per bucket with a defined incoherence, its bootstrap
 * interval as a whisker, and the simulated agent's expected incoherence as a red tick where it is known.
 */
export function bucketIncoherenceChart(
  view: LengthBuckets,
  expected: readonly (number | null)[] | null = null,
): string {
  const chart = `incoherence-${view.metric}`;
  const frame = defaultFrame;
  if (view.buckets === null) return emptyChart(chart, frame, view.note ?? `No ${metricTitle[view.metric]} buckets.`);
  const buckets = view.buckets;
  const keys = buckets.map((b) => String(b.index));
  const x = scaleBand<string>()
    .domain(keys)
    .range([frame.left, frame.width - frame.right])
    .padding(0.3);
  const top = fractionTop(
    buckets.flatMap((b, i) => [b.figures.incoherence.value, b.figures.incoherence.hi, expected?.[i] ?? null]),
  );
  const y = scaleLinear()
    .domain([0, top])
    .nice()
    .range([frame.height - frame.bottom, frame.top]);
  const marks: string[] = [];
  buckets.forEach((bucket, i) => {
    const inc = bucket.figures.incoherence;
    const left = x(String(bucket.index)) ?? 0;
    const mid = left + x.bandwidth() / 2;
    const tip = `Bucket ${bucket.index + 1} (${metricTitle[view.metric]} ${fmtRange(bucket.range)}, ${bucket.figures.tasks} tasks): incoherence ${formatEstimate(inc)}, pass rate ${fmtPercent(bucket.figures.passRate.value)}`;
    if (inc.value !== null) {
      marks.push(
        `<rect data-mark="bar" data-bucket="${bucket.index}" data-value="${inc.value}" x="${px(left)}" y="${px(y(inc.value))}" width="${px(x.bandwidth())}" ` +
          `height="${px(y(0) - y(inc.value))}" fill="${palette.incoherence}">${title(tip)}</rect>`,
      );
    }
    if (inc.value === null) {
      marks.push(
        `<text data-mark="undefined" data-bucket="${bucket.index}" x="${px(mid)}" y="${px(y(0) - 6)}" text-anchor="middle" fill="${palette.axis}">no error${title(
          `${tip}: no task in this bucket ever failed a test, so its incoherence is undefined`,
        )}</text>`,
      );
    }
    if (inc.lo !== null && inc.hi !== null)
      marks.push(whisker(mid, y(inc.lo), y(inc.hi), `data-bucket="${bucket.index}"`));
    const exp = expected?.[i];
    if (exp !== null && exp !== undefined) {
      marks.push(
        `<path data-mark="expected" data-bucket="${bucket.index}" data-value="${exp}" d="M${px(left - 4)} ${px(y(exp))}H${px(left + x.bandwidth() + 4)}" ` +
          `stroke="${palette.expected}" stroke-width="2.5" stroke-dasharray="5 3">${title(`Expected incoherence ${exp.toFixed(3)}`)}</path>`,
      );
    }
  });
  const labels = new Map(buckets.map((b) => [String(b.index), fmtRange(b.range)]));
  const items: { label: string; color: string; dashed?: boolean }[] = [
    { label: 'incoherence, bootstrap CI', color: palette.incoherence },
  ];
  if (expected?.some((e) => e !== null)) items.push({ label: 'expected', color: palette.expected, dashed: true });
  return (
    `${svgOpen(chart, frame, `Incoherence by ${metricTitle[view.metric]} bucket`)}` +
    yAxis(y, frame, 'incoherence') +
    xAxisCategories(x, labels, frame, `tasks' mean ${metricTitle[view.metric]} (bucket range)`) +
    legend(frame, items) +
    `<g class="marks">${marks.join('')}</g></svg>`
  );
}
