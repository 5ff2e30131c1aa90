import type { Argv, CommandModule } from 'yargs';
import { DockerUnavailableError } from '../../errors.ts';
import { runDoctor } from '../../docker/doctor.ts';
import { bad, fmtBytes, ok, table, warn } from '../ui.ts';

interface DoctorArgs {
  json: boolean;
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'Check the Docker engine (DOCKER_HOST respected), free disk and hotmess images',
  builder: (yargs: Argv) => yargs.option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' }),
  handler: async (args) => {
    const report = await runDoctor();
    if (args.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const e = report.engine;
      const rows = [
        ['check', 'status', 'detail'],
        e.reachable
          ? ['docker engine', ok('ok'), `${e.info.address}: Docker ${e.info.serverVersion}, API ${e.info.apiVersion}, ${e.info.storageDriver}, cgroup v${e.info.cgroupVersion}`]
          : ['docker engine', bad('unreachable'), `${e.address}: ${e.error}`],
        ['free disk', report.freeDiskBytes === null || report.freeDiskBytes > 10e9 ? ok('ok') : warn('low'), fmtBytes(report.freeDiskBytes)],
        ['base image', report.baseImage.present ? ok('present') : warn('missing'), report.baseImage.present ? report.baseImage.tag : `${report.baseImage.tag} (hotmess images build)`],
        ['hotmess images', ok(String(report.images.base + report.images.env + report.images.instance)), `${report.images.base} base, ${report.images.env} env, ${report.images.instance} instance`],
        ['containers', report.leftoverContainers === 0 ? ok('none') : warn(String(report.leftoverContainers)), 'labelled hotmess.run (a live run, or leftovers: hotmess reap)'],
        ['debootstrap', report.debootstrap ? ok('found') : warn('missing'), 'needed to build the base image (apt-get install debootstrap)'],
      ];
      process.stdout.write(`${table(rows)}\n`);
    }
    if (!report.engine.reachable) throw new DockerUnavailableError(report.engine.error);
  },
};
