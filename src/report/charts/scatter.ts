import { scaleLinear } from 'd3-scale';
import type { TaskRow } from '../../stats/types.ts';
import { fmtNumber, fmtPercent } from '../format.ts';
import { defaultFrame, emptyChart, esc, palette, px, svgOpen, title, xAxisLinear, yAxis } from './svg.ts';

/** One point per task with a defined incoherence: its mean action count against its incoherence. */
export function taskScatterChart(tasks: readonly TaskRow[]): string {
  const chart = 'task-scatter';
  const frame = defaultFrame;
  const shown = tasks.filter((t): t is TaskRow & { incoherence: number } => t.incoherence !== null);
  if (shown.length === 0)
    return emptyChart(chart, frame, 'No task failed a test, so no task has an incoherence to plot.');
  const xs = shown.map((t) => t.meanActions);
  const x = scaleLinear()
    .domain([Math.min(0, ...xs), Math.max(1, ...xs)])
    .nice()
    .range([frame.left + 6, frame.width - frame.right - 6]);
  const y = scaleLinear()
    .domain([0, 1])
    .range([frame.height - frame.bottom, frame.top]);
  const points = shown
    .map(
      (t) =>
        `<circle data-mark="point" data-task="${esc(t.instance_id)}" cx="${px(x(t.meanActions))}" cy="${px(y(t.incoherence))}" r="3.5" ` +
        `fill="${palette.incoherence}" fill-opacity="0.55">${title(
          `${t.instance_id}: mean actions ${t.meanActions.toFixed(1)}, incoherence ${fmtNumber(t.incoherence)}, pass rate ${fmtPercent(t.passRate)}, resolve rate ${fmtPercent(t.resolveRate)}`,
        )}</circle>`,
    )
    .join('');
  return (
    `${svgOpen(chart, frame, 'Per-task mean action count against incoherence')}` +
    yAxis(y, frame, 'task incoherence') +
    xAxisLinear(x, frame, 'mean action count of the task') +
    `<g class="marks">${points}</g></svg>`
  );
}
