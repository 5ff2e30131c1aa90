import type { ScaleBand, ScaleLinear, ScalePoint } from 'd3-scale';

/**
 * Shared pieces of the report's hand-written SVG charts. Vega was measured first (300 ms to import and 400 ms
 * to render the report's charts, against a 3 s budget for a 500-task report) and does not let a chart tag each
 * mark, which the browser test counts; d3-scale supplies the scales and ticks.
 */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

export const defaultFrame: Frame = { width: 560, height: 300, top: 16, right: 16, bottom: 48, left: 56 };

export const palette = {
  incoherence: '#7b3294',
  bias2: '#e08214',
  variance: '#2c7fb8',
  error: '#888888',
  passRate: '#1a9641',
  expected: '#d7191c',
  axis: '#555555',
  grid: '#e4e4e4',
  /** One colour per run in `hotmess compare`. */
  runs: ['#2c7fb8', '#d95f02', '#1b9e77', '#7570b3', '#e7298a', '#66a61e', '#a6761d', '#666666'],
} as const;

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Coordinates rounded to 0.1 px keep the SVG small for 500-point charts. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function svgOpen(chart: string, frame: Frame, label: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" data-chart="${esc(chart)}" viewBox="0 0 ${frame.width} ${frame.height}" ` +
    `width="${frame.width}" height="${frame.height}" role="img" aria-label="${esc(label)}" font-family="system-ui, sans-serif" font-size="11">`
  );
}

/** Horizontal grid lines and tick labels of a linear y scale, and its title turned on its side. */
export function yAxis(
  y: ScaleLinear<number, number>,
  frame: Frame,
  title: string,
  format: (v: number) => string = y.tickFormat(5),
): string {
  const x0 = frame.left;
  const x1 = frame.width - frame.right;
  const ticks = y
    .ticks(5)
    .map(
      (t) =>
        `<line x1="${x0}" x2="${x1}" y1="${px(y(t))}" y2="${px(y(t))}" stroke="${palette.grid}"/>` +
        `<text x="${x0 - 6}" y="${px(y(t))}" text-anchor="end" dominant-baseline="middle" fill="${palette.axis}">${esc(format(t))}</text>`,
    )
    .join('');
  const mid = (frame.top + frame.height - frame.bottom) / 2;
  return (
    `<g class="axis y-axis">${ticks}` +
    `<text transform="translate(14 ${px(mid)}) rotate(-90)" text-anchor="middle" fill="${palette.axis}">${esc(title)}</text></g>`
  );
}

/** Tick labels of a linear x scale, and its title. */
export function xAxisLinear(x: ScaleLinear<number, number>, frame: Frame, title: string): string {
  const yBase = frame.height - frame.bottom;
  const format = x.tickFormat(6);
  const ticks = x
    .ticks(6)
    .map(
      (t) =>
        `<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${yBase}" y2="${yBase + 4}" stroke="${palette.axis}"/>` +
        `<text x="${px(x(t))}" y="${yBase + 16}" text-anchor="middle" fill="${palette.axis}">${esc(format(t))}</text>`,
    )
    .join('');
  return `<g class="axis x-axis">${baseline(frame)}${ticks}${xTitle(frame, title)}</g>`;
}

/** Category labels under a band or point scale, and its title. */
export function xAxisCategories(
  x: ScaleBand<string> | ScalePoint<string>,
  labels: ReadonlyMap<string, string>,
  frame: Frame,
  title: string,
): string {
  const yBase = frame.height - frame.bottom;
  const offset = 'bandwidth' in x ? x.bandwidth() / 2 : 0;
  const ticks = x
    .domain()
    .map(
      (key) =>
        `<text x="${px((x(key) ?? 0) + offset)}" y="${yBase + 16}" text-anchor="middle" fill="${palette.axis}">${esc(labels.get(key) ?? key)}</text>`,
    )
    .join('');
  return `<g class="axis x-axis">${baseline(frame)}${ticks}${xTitle(frame, title)}</g>`;
}

function baseline(frame: Frame): string {
  const yBase = frame.height - frame.bottom;
  return `<line x1="${frame.left}" x2="${frame.width - frame.right}" y1="${yBase}" y2="${yBase}" stroke="${palette.axis}"/>`;
}

function xTitle(frame: Frame, title: string): string {
  const mid = (frame.left + frame.width - frame.right) / 2;
  return `<text x="${px(mid)}" y="${frame.height - 8}" text-anchor="middle" fill="${palette.axis}">${esc(title)}</text>`;
}

/** A legend row in the top-right corner: coloured squares (or dashes) and labels. */
export function legend(frame: Frame, items: readonly { label: string; color: string; dashed?: boolean }[]): string {
  let x = frame.width - frame.right;
  const parts: string[] = [];
  for (const item of [...items].reverse()) {
    const width = item.label.length * 6.5 + 26;
    x -= width;
    const swatch = item.dashed
      ? `<line x1="${px(x)}" x2="${px(x + 12)}" y1="${frame.top - 6}" y2="${frame.top - 6}" stroke="${item.color}" stroke-width="2" stroke-dasharray="3 2"/>`
      : `<rect x="${px(x)}" y="${frame.top - 11}" width="10" height="10" fill="${item.color}"/>`;
    parts.push(
      `${swatch}<text x="${px(x + 14)}" y="${frame.top - 2}" fill="${palette.axis}">${esc(item.label)}</text>`,
    );
  }
  return `<g class="legend">${parts.join('')}</g>`;
}

/** A vertical interval with caps: the confidence interval of a bar or point. */
export function whisker(x: number, yLo: number, yHi: number, attrs: string, half = 4): string {
  return (
    `<path data-mark="whisker" ${attrs} d="M${px(x)} ${px(yLo)}V${px(yHi)}M${px(x - half)} ${px(yLo)}H${px(x + half)}M${px(x - half)} ${px(yHi)}H${px(x + half)}" ` +
    `stroke="#222" stroke-width="1.2" fill="none"/>`
  );
}

/** A message in place of a chart that has nothing to draw. */
export function emptyChart(chart: string, frame: Frame, message: string): string {
  return `${svgOpen(chart, { ...frame, height: 60 }, message)}<text x="${frame.left}" y="34" fill="${palette.axis}">${esc(message)}</text></svg>`;
}

/** The upper end of a y axis for fractions: room above the largest value (or interval), never past 1. */
export function fractionTop(values: readonly (number | null | undefined)[]): number {
  const max = Math.max(0, ...values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
  return max === 0 ? 1 : Math.min(1, max * 1.1);
}

export function title(text: string): string {
  return `<title>${esc(text)}</title>`;
}
