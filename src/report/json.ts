import type { Report } from './build.ts';

/** report.json: the report object (run metadata, banner, StatsResult, expected vs measured) as indented JSON. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
