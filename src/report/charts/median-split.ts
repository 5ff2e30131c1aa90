import { scaleBand, scaleLinear } from 'd3-scale';
import { formatEstimate } from '../../stats/format.ts';
import type { Estimate, Figures, MedianSplit } from '../../stats/types.ts';
import {
  defaultFrame,
  emptyChart,
  fractionTop,
  legend,
  px,
  svgOpen,
  title,
  whisker,
  xAxisCategories,
  yAxis,
} from './svg.ts';

const measures: readonly { key: string; label: string; pick: (f: Figures) => Estimate | null }[] = [
  { key: 'incoherence', label: 'incoherence', pick: (f) => f.incoherence },
  { key: 'error', label: 'error', pick: (f) => f.error },
  { key: 'bias2', label: 'bias²', pick: (f) => f.bias2 },
  { key: 'variance', label: 'variance', pick: (f) => f.variance },
  { key: 'passRate', label: 'pass rate', pick: (f) => f.passRate },
];

const halves = [
  { key: 'below', label: 'below the median', color: '#92c5de' },
  { key: 'atOrAbove', label: 'at or above the median', color: '#0571b0' },
] as const;

/**
 * Natural overthinking: per measure, two bars, one for each task's unrolls below its median action count and
 * one for those at or above it, each with its bootstrap interval.
 */
export function medianSplitChart(split: MedianSplit | null): string {
  const chart = 'median-split';
  const frame = defaultFrame;
  if (split === null) return emptyChart(chart, frame, 'No task has unrolls on both sides of its median action count.');
  const x = scaleBand<string>()
    .domain(measures.map((m) => m.key))
    .range([frame.left, frame.width - frame.right])
    .padding(0.25);
  const inner = scaleBand<string>()
    .domain(halves.map((h) => h.key))
    .range([0, x.bandwidth()])
    .padding(0.08);
  const all = halves.flatMap((h) => measures.flatMap((m) => [m.pick(split[h.key])?.value, m.pick(split[h.key])?.hi]));
  const y = scaleLinear()
    .domain([0, fractionTop(all)])
    .nice()
    .range([frame.height - frame.bottom, frame.top]);
  const marks: string[] = [];
  for (const m of measures) {
    for (const h of halves) {
      const est = m.pick(split[h.key]);
      if (est === null || est.value === null) continue;
      const left = (x(m.key) ?? 0) + (inner(h.key) ?? 0);
      const value = Math.max(0, est.value);
      marks.push(
        `<rect data-mark="bar" data-measure="${m.key}" data-half="${h.key}" data-value="${est.value}" x="${px(left)}" y="${px(y(value))}" ` +
          `width="${px(inner.bandwidth())}" height="${px(y(0) - y(value))}" fill="${h.color}">${title(`${m.label}, unrolls ${h.label}: ${formatEstimate(est)}`)}</rect>`,
      );
      if (est.lo !== null && est.hi !== null) {
        marks.push(
          whisker(
            left + inner.bandwidth() / 2,
            y(Math.max(0, est.lo)),
            y(est.hi),
            `data-measure="${m.key}" data-half="${h.key}"`,
            3,
          ),
        );
      }
    }
  }
  const labels = new Map(measures.map((m) => [m.key, m.label]));
  return (
    `${svgOpen(chart, frame, "Unrolls below vs at or above their task's median action count")}` +
    yAxis(y, frame, 'value') +
    xAxisCategories(x, labels, frame, `${split.tasks} tasks split at their median action count`) +
    legend(
      frame,
      halves.map((h) => ({ label: h.label, color: h.color })),
    ) +
    `<g class="marks">${marks.join('')}</g></svg>`
  );
}
