import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { filterInstances } from '../../src/instances/filter.ts';
import { loadInstances } from '../../src/instances/load.ts';
import { repoRoot } from '../../src/paths.ts';
import { expandCells } from '../../src/sweeps/cells.ts';
import { loadSweepFile } from '../../src/sweeps/schema.ts';

const examples = path.join(repoRoot, 'examples');
const sweepFile = path.join(examples, 'sweeps', 'nightly-sim.yaml');
const temp: string[] = [];
afterAll(async () => Promise.all(temp.map((d) => rm(d, { recursive: true, force: true }))));

describe('the shipped scheduling examples', () => {
  it('ship a sweep file that validates and names bundled tasks', async () => {
    const sweep = await loadSweepFile(sweepFile);
    const { instances } = await loadInstances(path.resolve(path.dirname(sweepFile), sweep.tasks.instances ?? ''));
    expect(filterInstances(instances, { ids: sweep.tasks.instance_ids ?? [] })).toHaveLength(6);
    expect(expandCells(sweep).map((c) => c.name)).toEqual(['model-sim', 'model-sim-openai']);
  });

  it('the crontab line runs under sh -c with cron’s minimal environment (refused here by a held lock)', async () => {
    const text = await readFile(path.join(examples, 'cron', 'hotmess-sweep.crontab'), 'utf8');
    const entries = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(entries).toHaveLength(1);
    const fields = (entries[0] as string).trim().split(/\s+/);
    expect(fields.slice(0, 5)).toEqual(['17', '2', '*', '*', '*']);
    const command = (entries[0] as string).trim().replace(/^(\S+\s+){5}/, '');
    // A home with the checkout at $HOME/hotmess, and this night's sweep already running (the lock held by this
    // process): the line must find node, the CLI and the sweep file, and be refused at once.
    const home = await mkdtemp(path.join(tmpdir(), 'hotmess-cron-'));
    temp.push(home);
    await symlink(repoRoot, path.join(home, 'hotmess'));
    const lockDir = path.join(home, 'hotmess-logs', 'sweeps', 'nightly-sim');
    await mkdir(lockDir, { recursive: true });
    await writeFile(
      path.join(lockDir, 'sweep.lock'),
      `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`,
    );
    const cronEnv = { HOME: home, LOGNAME: 'nobody', SHELL: '/bin/sh', PATH: '/usr/bin:/bin' };
    const run = await execa('sh', ['-c', command], { env: cronEnv, extendEnv: false, reject: false });
    expect(run.exitCode).toBe(75);
    const log = await readFile(path.join(home, 'hotmess-sweep.log'), 'utf8');
    expect(log).toMatch(/Sweep nightly-sim is already running in process \d+ .*, so this start is refused/);
  });

  it.skipIf(!existsSync('/usr/bin/systemd-analyze'))(
    'the systemd service and timer pass systemd-analyze verify',
    async () => {
      const units = ['hotmess-sweep.service', 'hotmess-sweep.timer'].map((u) => path.join(examples, 'systemd', u));
      const verify = await execa('systemd-analyze', ['verify', ...units], { reject: false });
      expect(verify.exitCode, verify.stderr).toBe(0);
      expect(verify.stderr).not.toMatch(/hotmess-sweep\.(service|timer)/);
      const service = await readFile(units[0] as string, 'utf8');
      expect(service).toMatch(
        /^ExecStart=\/usr\/bin\/node \/opt\/hotmess\/bin\/hotmess\.js sweep .*nightly-sim\.yaml --resume$/m,
      );
    },
  );

  it('the CI workflow runs the sweep on a nightly schedule and keeps logs/sweeps as an artifact', async () => {
    const workflow = parse(await readFile(path.join(examples, 'ci', 'nightly-sweep.yml'), 'utf8')) as {
      on: { schedule: { cron: string }[] };
      jobs: Record<string, { steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] }>;
    };
    expect(workflow.on.schedule[0]?.cron).toMatch(/^\d+ \d+ \* \* \*$/);
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    expect(steps.some((s) => s.run?.includes('bin/hotmess.js sweep examples/sweeps/nightly-sim.yaml --resume'))).toBe(
      true,
    );
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.path).toBe('logs/sweeps/');
  });
});
