import type { Argv } from 'yargs';
import type { PullProgress } from '../images/pull.ts';
import { checkImageSourceOptions } from '../images/source-options.ts';
import type { RunImageOptions } from '../images/source-options.ts';
import { numberOption } from './number-flags.ts';
import { fmtBytes } from './ui.ts';

/** Where missing SWE-bench images are pulled from: `run` and `images pull` share these flags. */
export function imageSourceFlags<T>(y: Argv<T>) {
  return y
    .option('registry', {
      type: 'string',
      describe:
        'Pull missing images from this registry, HOST[:PORT][/PREFIX] (a bare HOST[:PORT] keeps the swebench/ namespace, as a Docker Hub mirror)',
    })
    .option('image-template', {
      type: 'string',
      describe: "The name pulled for a task, e.g. '{registry}/sweb.eval.x86_64.{id}:latest' ({id}: __ as _1776_)",
    })
    .option(
      'pull-timeout',
      numberOption(
        'pull-timeout',
        { kind: 'seconds' },
        { default: 1800, describe: 'Seconds one pull attempt may take' },
      ),
    )
    .option(
      'pull-retries',
      numberOption(
        'pull-retries',
        { kind: 'integer', min: 0 },
        { default: 3, describe: 'Retries of a pull after a transient error' },
      ),
    )
    .option(
      'pull-concurrency',
      numberOption('pull-concurrency', { kind: 'integer', min: 1 }, { default: 2, describe: 'Images pulled at once' }),
    );
}

export interface ImageSourceArgs {
  registry?: string;
  'image-template'?: string;
  'pull-timeout': number;
  'pull-retries': number;
  'pull-concurrency': number;
  'max-image-disk'?: number;
}

export function diskBudgetFlag<T>(y: Argv<T>) {
  return y.option(
    'max-image-disk',
    numberOption(
      'max-image-disk',
      { kind: 'number', min: 0, above: true },
      {
        describe:
          "GB of images hotmess itself pulled to keep: a finished task's image is removed, least recently used first, when over it",
      },
    ),
  );
}

export function runImageOptionsFrom(args: ImageSourceArgs): RunImageOptions {
  const source = checkImageSourceOptions({
    ...(args.registry !== undefined ? { registry: args.registry } : {}),
    ...(args['image-template'] !== undefined ? { imageTemplate: args['image-template'] } : {}),
  });
  return {
    ...source,
    pullTimeoutSeconds: args['pull-timeout'],
    pullRetries: args['pull-retries'],
    pullConcurrency: args['pull-concurrency'],
    ...(args['max-image-disk'] !== undefined ? { maxImageDiskGb: args['max-image-disk'] } : {}),
  };
}

/** One compact line per pull: layers done, bytes, and each layer's state in a letter. */
export function pullProgressLine(p: PullProgress): string {
  const letters: Record<string, string> = {
    'Pulling fs layer': '.',
    Waiting: '.',
    Downloading: 'd',
    'Verifying Checksum': 'v',
    'Download complete': 'D',
    Extracting: 'x',
    'Pull complete': '#',
    'Already exists': '=',
  };
  const layers = p.layers.map((l) => letters[l.status] ?? '?').join('');
  return `pulling ${p.image}: ${p.layersDone}/${p.layers.length} layers [${layers}] ${fmtBytes(p.downloadedBytes)} of ${fmtBytes(p.totalBytes)}`;
}

/**
 * Pull progress on stderr: on a terminal one line redrawn in place with every pull in flight, notes above it;
 * elsewhere the notes only, plus each pull's state every 30 s.
 */
export class PullLine {
  private readonly inFlight = new Map<string, PullProgress>();
  private lastPlain = new Map<string, number>();

  constructor(private readonly out: NodeJS.WriteStream) {}

  note(text: string): void {
    if (this.out.isTTY) this.out.write(`\r\x1b[2K${text}\n`);
    else this.out.write(`${text}\n`);
    this.draw();
  }

  progress(id: string, p: PullProgress): void {
    this.inFlight.set(id, p);
    if (this.out.isTTY) return this.draw();
    if (Date.now() - (this.lastPlain.get(id) ?? 0) >= 30_000) {
      this.lastPlain.set(id, Date.now());
      this.out.write(`${pullProgressLine(p)}\n`);
    }
  }

  done(id: string): void {
    this.inFlight.delete(id);
    this.lastPlain.delete(id);
    this.draw();
  }

  stop(): void {
    if (this.out.isTTY) this.out.write('\r\x1b[2K');
  }

  private draw(): void {
    if (!this.out.isTTY || this.inFlight.size === 0) return;
    const line = [...this.inFlight.values()].map(pullProgressLine).join(' · ');
    const width = this.out.columns || 120;
    this.out.write(`\r\x1b[2K${line.length > width - 1 ? line.slice(0, width - 1) : line}`);
  }
}
