import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../errors.ts';
import { RunStoreError } from '../store/errors.ts';
import { buildReport, type Report, type ReportOptions } from './build.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { loadRun } from './load.ts';
import { renderMarkdown } from './markdown.ts';
import { writeTaskPages, type PagesWritten } from './pages.ts';

export interface WriteReportOptions extends ReportOptions {
  /** Where to write the three files; default the run directory. */
  readonly out?: string;
  /** Also write the viewer's pages (default true). */
  readonly pages?: boolean;
}

export interface ReportTimings {
  /** Reading and validating unrolls.jsonl. */
  readonly readMs: number;
  readonly statsMs: number;
  /** Rendering and writing the three files. */
  readonly renderMs: number;
  readonly totalMs: number;
}

export interface WrittenReport {
  readonly report: Report;
  readonly files: { readonly json: string; readonly markdown: string; readonly html: string };
  /** The viewer's per-task and per-unroll pages (pages.ts); null when not asked for. */
  readonly pages: PagesWritten | null;
  readonly timings: ReportTimings;
}

export const reportFiles = { json: 'report.json', markdown: 'report.md', html: 'report.html' } as const;

/** `hotmess report`: reads a run directory, computes its statistics and writes report.json, report.md and report.html. */
export async function writeReport(runDir: string, options: WriteReportOptions = {}): Promise<WrittenReport> {
  const started = performance.now();
  const loaded = await loadRun(runDir);
  const statsStart = performance.now();
  const report = buildReport(loaded, options);
  const renderStart = performance.now();
  const outDir = path.resolve(options.out ?? loaded.dir);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new RunStoreError(`Cannot create the report directory ${outDir} (${errorMessage(err)}).`, outDir, err);
  }
  const files = {
    json: path.join(outDir, reportFiles.json),
    markdown: path.join(outDir, reportFiles.markdown),
    html: path.join(outDir, reportFiles.html),
  };
  await Promise.all([
    save(files.json, renderJson(report)),
    save(files.markdown, renderMarkdown(report)),
    save(files.html, renderHtml(report, { taskLinks: options.pages !== false })),
  ]);
  const pages =
    options.pages === false ? null : await writeTaskPages(loaded.dir, loaded.run.run_id, loaded.records, outDir);
  const done = performance.now();
  return {
    report,
    files,
    pages,
    timings: {
      readMs: loaded.readMs,
      statsMs: renderStart - statsStart,
      renderMs: done - renderStart,
      totalMs: done - started,
    },
  };
}

async function save(file: string, content: string): Promise<void> {
  try {
    await writeFile(file, content);
  } catch (err) {
    throw new RunStoreError(`Cannot write ${file} (${errorMessage(err)}).`, file, err);
  }
}
