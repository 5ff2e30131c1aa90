import type { Argv, CommandModule } from 'yargs';
import { DockerUnavailableError } from '../../errors.ts';
import { runDoctor, type DoctorReport } from '../../doctor/checks.ts';
import { bad, fmtBytes, ok, table, warn } from '../ui.ts';

interface DoctorArgs {
  json: boolean;
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  builder: (yargs: Argv) =>
    yargs.option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' }),
  handler: async (args) => {
    const report = await runDoctor();
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

function freeDiskStatus(bytes: number | null): string {
  if (bytes === null) return warn('unknown');
  return bytes > 10e9 ? ok('ok') : warn('low');
}

function baseImageCells(base: DoctorReport['baseImage']): [string, string] {
  if (base.present === null) return [warn('unknown'), `${base.tag} (no engine to ask)`];
  return base.present ? [ok('present'), base.tag] : [warn('missing'), `${base.tag} (hotmess images build)`];
}
