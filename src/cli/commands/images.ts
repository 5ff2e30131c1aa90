import type { Argv, CommandModule } from 'yargs';
import pLimit from 'p-limit';
import { InputError } from '../../errors.ts';
import { connectEngine } from '../../docker/engine.ts';
import { ensureBaseImage } from '../../images/base.ts';
import { ensureInstanceImage } from '../../images/instance-image.ts';
import { listHotmessImages, pruneImages } from '../../images/list.ts';
import { filterInstances } from '../../instances/filter.ts';
import { formatProblem, loadInstances, type LoadResult } from '../../instances/load.ts';
import type { Instance } from '../../instances/schema.ts';
import { fmtBytes, stderrProgress, table } from '../ui.ts';
import { numberOption } from '../number-flags.ts';
import { imageSourceFlags, PullLine, runImageOptionsFrom, type ImageSourceArgs } from '../image-options.ts';
import { instanceOptions, selectInstances, type InstanceArgs } from '../run-options.ts';
import { pullTaskImages } from '../../images/pull-set.ts';
import { PullError } from '../../images/pull-errors.ts';

interface BuildArgs {
  instances?: string;
  'instance-ids'?: string[];
  concurrency: number;
}

const build: CommandModule<object, BuildArgs> = {
  command: 'build',
  describe: 'Build the base image, and the env and instance images of --instances (unchanged recipes are not rebuilt)',
  builder: (y: Argv) =>
    y
      .option('instances', {
        type: 'string',
        describe: 'Instance file or directory; without it only the base image is built',
      })
      .option('instance-ids', { type: 'string', array: true, describe: 'Only these instances' })
      .option(
        'concurrency',
        numberOption('concurrency', { kind: 'integer', min: 1 }, { default: 2, describe: 'Images built at once' }),
      ),
  handler: async (args) => {
    // Instances first: a file with nothing to build fails before the engine is asked for anything.
    const selected = args.instances
      ? selectBuildable(await loadInstances(args.instances), args.instances, args['instance-ids'])
      : [];
    const { docker } = await connectEngine();
    const base = await ensureBaseImage(docker, stderrProgress);
    process.stdout.write(`base      ${base.tag}\n`);
    const limit = pLimit(Math.max(1, args.concurrency));
    const results = await Promise.all(
      selected.map((inst) =>
        limit(async () => [inst.instance_id, await ensureInstanceImage(docker, inst, stderrProgress)] as const),
      ),
    );
    for (const [id, img] of results) process.stdout.write(`instance  ${img.tag}  (${id}, ${img.origin})\n`);
  },
};

function selectBuildable(loaded: LoadResult, source: string, ids: string[] | undefined): Instance[] {
  const [first] = loaded.problems;
  if (loaded.instances.length === 0) {
    const why = first ? `: ${loaded.problems.length} bad, the first: ${formatProblem(first)}` : '';
    throw new InputError(`No valid instance record in ${source}${why}.`, first?.file, first?.line);
  }
  for (const p of loaded.problems) process.stderr.write(`skipped: ${formatProblem(p)}\n`);
  return filterInstances(loaded.instances, { ...(ids ? { ids } : {}) });
}

const ls: CommandModule<object, { json: boolean }> = {
  command: 'ls',
  describe: 'List hotmess images',
  builder: (y: Argv) => y.option('json', { type: 'boolean', default: false }),
  handler: async (args) => {
    const { docker } = await connectEngine();
    const images = await listHotmessImages(docker);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(images, null, 2)}\n`);
      return;
    }
    const rows = [['kind', 'tag', 'size', 'created', 'instance']];
    for (const img of images)
      rows.push([
        img.kind,
        img.tags[0] ?? img.id.slice(7, 19),
        fmtBytes(img.sizeBytes),
        img.created.toISOString().slice(0, 16).replace('T', ' '),
        img.instance ?? '',
      ]);
    process.stdout.write(`${table(rows)}\n`);
  },
};

const prune: CommandModule<object, { all: boolean }> = {
  command: 'prune',
  describe: 'Remove hotmess images built from an outdated base recipe (--all: every hotmess image)',
  builder: (y: Argv) => y.option('all', { type: 'boolean', default: false }),
  handler: async (args) => {
    const { docker } = await connectEngine();
    const result = await pruneImages(docker, { all: args.all });
    for (const tag of result.removed) process.stdout.write(`removed  ${tag}\n`);
    for (const f of result.failed) process.stdout.write(`kept     ${f.tag}: ${f.reason}\n`);
    if (result.removed.length === 0 && result.failed.length === 0) process.stdout.write('nothing to prune\n');
  },
};

interface PullArgs extends InstanceArgs, ImageSourceArgs {
  json: boolean;
}

const pull: CommandModule<object, PullArgs> = {
  command: 'pull',
  describe:
    "Fetch a task set's official images ahead of a run (--registry / --image-template for mirrors); present ones are left",
  builder: (y: Argv) =>
    imageSourceFlags(instanceOptions(y)).option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print one JSON object per task',
    }) as unknown as Argv<PullArgs>,
  handler: async (args) => {
    const warn = (line: string) => process.stderr.write(`${line}\n`);
    const instances = await selectInstances(args, warn);
    const opts = runImageOptionsFrom(args);
    const { docker } = await connectEngine();
    const line = new PullLine(process.stderr);
    const results = await pullTaskImages(
      docker,
      instances,
      { ...opts, concurrency: opts.pullConcurrency ?? 2 },
      {
        onStart: (id, image) => line.note(`pulling ${image} (${id})`),
        onProgress: (id, p) => line.progress(id, p),
        onRetry: (_id, message, delayMs) => line.note(`retrying in ${Math.round(delayMs / 1000)} s: ${message}`),
        onDone: (r) => {
          line.done(r.instance_id);
          if (r.outcome === 'pulled')
            line.note(`pulled ${r.pulled} (${fmtBytes(r.bytes)}) in ${(r.durationMs / 1000).toFixed(1)} s`);
          if (r.outcome === 'failed') line.note(`failed ${r.instance_id}: ${r.reason}`);
        },
      },
    );
    line.stop();
    if (args.json) for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
    const count = (o: string) => results.filter((r) => r.outcome === o).length;
    const failed = results.filter((r) => r.outcome === 'failed');
    process.stderr.write(
      `${results.length} tasks: ${count('pulled')} pulled, ${count('present')} already present, ${count('build')} built from source (hotmess images build), ${failed.length} failed\n`,
    );
    if (failed.length > 0)
      throw new PullError(
        'failed',
        failed[0]?.image ?? '',
        '',
        `${failed.length} of ${results.length} images could not be pulled (reasons above); the first: ${failed[0]?.reason ?? ''}`,
        false,
      );
  },
};

export const imagesCommand: CommandModule = {
  builder: (y: Argv) =>
    y
      .command(build)
      .command(pull)
      .command(ls)
      .command(prune)
      .demandCommand(1, 'Name an images command: build, pull, ls or prune.'),
  handler: () => {},
};
