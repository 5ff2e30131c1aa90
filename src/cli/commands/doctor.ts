import type { Argv, CommandModule } from 'yargs';
import { DockerUnavailableError } from '../../errors.ts';
import { runDoctor, type DoctorReport, type TaskImageCount } from '../../doctor/checks.ts';
import { imageSourceFlags, runImageOptionsFrom, type ImageSourceArgs } from '../image-options.ts';
import { instanceOptions, instanceSourceOf, selectInstances, type InstanceArgs } from '../run-options.ts';
import { bad, fmtBytes, ok, table, warn } from '../ui.ts';

interface DoctorArgs extends InstanceArgs, ImageSourceArgs {
  json: boolean;
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  builder: (yargs: Argv) =>
    imageSourceFlags(instanceOptions(yargs)).option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print the report as JSON',
    }) as unknown as Argv<DoctorArgs>,
  handler: async (args) => {
    const instances = await selectInstances(args, (line) => process.stderr.write(`${line}\n`));
    const { pullTimeoutSeconds: _t, pullRetries: _r, pullConcurrency: _c, ...images } = runImageOptionsFrom(args);
    const report = await runDoctor({ tasks: { source: (await instanceSourceOf(args)).label, instances, images } });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const e = report.engine;
      const rows = [
        ['check', 'status', 'detail'],
        e.reachable
          ? [
              'docker engine',
              ok('ok'),
              `${e.info.address}: Docker ${e.info.serverVersion}, API ${e.info.apiVersion}, ${e.info.storageDriver}, cgroup v${e.info.cgroupVersion}`,
            ]
          : ['docker engine', bad('unreachable'), `${e.address}: ${e.error}`],
        ['free disk', freeDiskStatus(report.freeDiskBytes), fmtBytes(report.freeDiskBytes)],
        ['base image', ...baseImageCells(report.baseImage)],
        [
          'hotmess images',
          ok(String(report.images.base + report.images.env + report.images.instance)),
          `${report.images.base} base, ${report.images.env} env, ${report.images.instance} instance`,
        ],
        ...(report.taskImages ? [taskImageRow(report.taskImages)] : []),
        [
          'containers',
          report.leftoverContainers === 0 ? ok('none') : warn(String(report.leftoverContainers)),
          'labelled hotmess.run (a live run, or leftovers: hotmess reap)',
        ],
        [
          'debootstrap',
          report.debootstrap ? ok('found') : warn('missing'),
          'needed to build the base image (apt-get install debootstrap)',
        ],
      ];
      process.stdout.write(`${table(rows)}\n`);
      if (report.images.list.length > 0)
        process.stdout.write(`\n${table([['kind', 'image'], ...report.images.list.map((i) => [i.kind, i.tag])])}\n`);
    }
    if (!report.engine.reachable) throw new DockerUnavailableError(report.engine.error);
  },
};

function taskImageRow(t: TaskImageCount): string[] {
  const status = t.present === t.total ? ok(`${t.present}/${t.total}`) : warn(`${t.present}/${t.total}`);
  return [
    'task images',
    status,
    `present for ${t.present} of ${t.total} tasks in ${t.source}; ${t.toPull} to pull (hotmess images pull), ${t.toBuild} to build`,
  ];
}

function freeDiskStatus(bytes: number | null): string {
  if (bytes === null) return warn('unknown');
  return bytes > 10e9 ? ok('ok') : warn('low');
}

function baseImageCells(base: DoctorReport['baseImage']): [string, string] {
  if (base.present === null) return [warn('unknown'), `${base.tag} (no engine to ask)`];
  return base.present ? [ok('present'), base.tag] : [warn('missing'), `${base.tag} (hotmess images build)`];
}
