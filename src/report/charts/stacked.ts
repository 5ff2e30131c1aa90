import { scaleBand, scaleLinear } from 'd3-scale';
import type { LengthBuckets } from '../../stats/types.ts';
import { fmtNumber, fmtRange } from '../format.ts';
import { metricTitle } from './buckets.ts';
import {
  defaultFrame,
  emptyChart,
  fractionTop,
  legend,
  palette,
  px,
  svgOpen,
  title,
  xAxisCategories,
  yAxis,
} from './svg.ts';

/**
 * Error per length bucket split into bias² (bottom) and variance (top): two segments per bucket, whose
 * heights add up to the bucket's error. An unbiased bias² below zero is drawn as nothing.
 */
export function stackedBucketChart(view: LengthBuckets): string {
  const chart = `decomposition-${view.metric}`;
  const frame = defaultFrame;
  if (view.buckets === null) return emptyChart(chart, frame, view.note ?? `No ${metricTitle[view.metric]} buckets.`);
  const buckets = view.buckets;
  const x = scaleBand<string>()
    .domain(buckets.map((b) => String(b.index)))
    .range([frame.left, frame.width - frame.right])
    .padding(0.3);
  const heightOf = (v: number | null): number => Math.max(0, v ?? 0);
  const top = fractionTop(buckets.map((b) => heightOf(b.figures.bias2.value) + heightOf(b.figures.variance.value)));
  const y = scaleLinear()
    .domain([0, top])
    .nice()
    .range([frame.height - frame.bottom, frame.top]);
  const marks: string[] = [];
  for (const bucket of buckets) {
    const left = x(String(bucket.index)) ?? 0;
    const bias2 = heightOf(bucket.figures.bias2.value);
    const variance = heightOf(bucket.figures.variance.value);
    const tip = `Bucket ${bucket.index + 1} (${fmtRange(bucket.range)}): error ${fmtNumber(bucket.figures.error.value)} = bias² ${fmtNumber(bucket.figures.bias2.value)} + variance ${fmtNumber(bucket.figures.variance.value)}`;
    const segment = (part: string, from: number, to: number, color: string): string =>
      `<rect data-mark="segment" data-part="${part}" data-bucket="${bucket.index}" x="${px(left)}" y="${px(y(to))}" width="${px(x.bandwidth())}" ` +
      `height="${px(y(from) - y(to))}" fill="${color}">${title(tip)}</rect>`;
    marks.push(
      segment('bias2', 0, bias2, palette.bias2),
      segment('variance', bias2, bias2 + variance, palette.variance),
    );
  }
  const labels = new Map(buckets.map((b) => [String(b.index), fmtRange(b.range)]));
  return (
    `${svgOpen(chart, frame, `Bias² and variance by ${metricTitle[view.metric]} bucket`)}` +
    yAxis(y, frame, 'error = bias² + variance') +
    xAxisCategories(x, labels, frame, `tasks' mean ${metricTitle[view.metric]} (bucket range)`) +
    legend(frame, [
      { label: 'bias²', color: palette.bias2 },
      { label: 'variance', color: palette.variance },
    ]) +
    `<g class="marks">${marks.join('')}</g></svg>`
  );
}
