import { scaleLinear, scalePoint } from 'd3-scale';
import { formatEstimate } from '../../stats/format.ts';
import type { EnsemblePoint, Figures } from '../../stats/types.ts';
import {
  emptyChart,
  fractionTop,
  legend,
  palette,
  px,
  svgOpen,
  title,
  xAxisCategories,
  yAxis,
  type Frame,
} from './svg.ts';

const panels = [
  { key: 'variance', label: 'variance', pick: (f: Figures) => f.variance },
  { key: 'incoherence', label: 'incoherence', pick: (f: Figures) => f.incoherence },
] as const;

const series = [
  { key: 'mean', label: 'mean of members', dash: '' },
  { key: 'majority', label: 'majority vote', dash: ' stroke-dasharray="5 3"' },
] as const;

const panelFrame: Frame = { width: 360, height: 300, top: 24, right: 12, bottom: 48, left: 56 };

/**
 * The ensembling curve: variance (left) and incoherence (right) against ensemble size, for ensembles that
 * predict the mean of their members and for majority votes; one point per size and series.
 */
export function ensemblingChart(points: readonly EnsemblePoint[]): string {
  const chart = 'ensembling';
  const whole: Frame = { ...panelFrame, width: panelFrame.width * panels.length };
  if (points.length === 0)
    return emptyChart(chart, whole, 'No ensembling curve: no task has the 2 unrolls that two ensembles need.');
  const keys = points.map((p) => String(p.size));
  const x = scalePoint<string>()
    .domain(keys)
    .range([panelFrame.left + 14, panelFrame.width - panelFrame.right - 14]);
  const labels = new Map(keys.map((k) => [k, k]));
  const body = panels
    .map((panel, k) => {
      const values = points.flatMap((p) => series.map((s) => panel.pick(p[s.key]).value));
      const y = scaleLinear()
        .domain([0, fractionTop(values)])
        .nice()
        .range([panelFrame.height - panelFrame.bottom, panelFrame.top]);
      const drawn = series.map((s) => {
        const at = points
          .map((p) => ({ p, value: panel.pick(p[s.key]).value }))
          .filter((d): d is { p: EnsemblePoint; value: number } => d.value !== null);
        const color = panel.key === 'variance' ? palette.variance : palette.incoherence;
        const path = at
          .map((d, i) => `${i === 0 ? 'M' : 'L'}${px(x(String(d.p.size)) ?? 0)} ${px(y(d.value))}`)
          .join('');
        const line =
          at.length > 1
            ? `<path data-mark="line" data-panel="${panel.key}" data-series="${s.key}" d="${path}" fill="none" stroke="${color}" stroke-width="2"${s.dash}/>`
            : '';
        const dots = at
          .map(
            (d) =>
              `<circle data-mark="point" data-panel="${panel.key}" data-series="${s.key}" data-size="${d.p.size}" cx="${px(x(String(d.p.size)) ?? 0)}" cy="${px(y(d.value))}" r="3.5" ` +
              `fill="${s.key === 'mean' ? color : 'white'}" stroke="${color}" stroke-width="1.5">${title(
                `${panel.label}, ensembles of ${d.p.size} (${s.label}, ${d.p.ensemblesPerTask} per task): ${formatEstimate(panel.pick(d.p[s.key]))}`,
              )}</circle>`,
          )
          .join('');
        return line + dots;
      });
      return (
        `<g transform="translate(${k * panelFrame.width} 0)" data-panel="${panel.key}">` +
        yAxis(y, panelFrame, panel.label) +
        xAxisCategories(x, labels, panelFrame, 'ensemble size') +
        `<g class="marks">${drawn.join('')}</g></g>`
      );
    })
    .join('');
  return (
    `${svgOpen(chart, whole, 'Variance and incoherence against ensemble size')}` +
    body +
    legend(whole, [
      { label: 'mean of members', color: '#333333' },
      { label: 'majority vote', color: '#333333', dashed: true },
    ]) +
    `</svg>`
  );
}
