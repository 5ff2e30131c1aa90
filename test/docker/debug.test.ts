import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentLimitsSchema } from '../../src/agent/limits.ts';
import { actionsOf, replayable } from '../../src/debug/actions.ts';
import { readTrajectory } from '../../src/debug/trajectory-file.ts';
import { connectEngine } from '../../src/docker/engine.ts';
import { loadInstances } from '../../src/instances/load.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { logsDir, repoRoot } from '../../src/paths.ts';
import { runSweep, type SweepConfig } from '../../src/run/sweep.ts';
import { unrollSeed } from '../../src/run/seeds.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { LABEL_RUN } from '../../src/sandbox/labels.ts';
import { planUnroll } from '../../src/sim/policy.ts';
import { loadSimSpec } from '../../src/sim/spec-load.ts';
import { artifactPath } from '../../src/store/layout.ts';
import { readUnrolls } from '../../src/store/run-dir.ts';
import { Tmux } from '../helpers/tmux.ts';

/**
 * One small shared fixture: a sim run of one pocket task (2 unrolls, its own image) whose simulated agent may also run
 * a "test" printing a random number; the seed is chosen so that unroll 0 never does and unroll 1 does, at its third
 * action or later. The commands are driven through the CLI, the interactive ones in a real terminal (tmux).
 */
const { docker } = await connectEngine();
const pocket = path.join(repoRoot, 'instances', 'pocket');
const id = 'pocket__semver-1';
const cli = path.join(repoRoot, 'bin/hotmess.js');
const randomCommand = `python3 -c 'import random; print("test_random:", random.random())'`;
const randomSpec = `instance_id: ${id}
explore: {distribution: fixed, value: 4}
candidates:
  gold: {patch: gold, weight: 1}
commands: [ls, "git log --oneline -3", "${randomCommand.replaceAll('"', '\\"')}"]
`;

let root: string;
let tmux: Tmux;

const config = (instancesSource: string, seed: number): SweepConfig => ({
  instancesSource,
  instanceIds: [id],
  model: 'sim',
  modelOptions: {},
  unrolls: 2,
  seed,
  limits: agentLimitsSchema.parse({}),
  testTimeoutMs: 300_000,
  infraRetries: 0,
  execMode: 'persistent',
});

function hotmess(...args: string[]) {
  return execa('node', [cli, ...args], { cwd: repoRoot, reject: false, env: { HOTMESS_LOGS: root, NO_COLOR: '1' } });
}

async function containersOf(run: string): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${run}`] } });
  return list.map((c) => c.Id);
}

/** A run seed whose unroll 0 never runs the random command and whose unroll 1 runs it first at its third action or later. */
async function seedForRandom(instance: Instance): Promise<number> {
  const spec = await loadSimSpec(instance);
  const first = (seed: number, unroll: number) =>
    planUnroll(spec, unrollSeed(seed, id, unroll)).commands.indexOf(randomCommand);
  for (let seed = 0; seed < 500; seed++) if (first(seed, 0) === -1 && first(seed, 1) >= 2) return seed;
  throw new Error('no seed gives the plans this test needs');
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-debug-'));
  tmux = new Tmux(`hotmess-debug-${process.pid}`);
  const record = JSON.parse(
    (await readFile(path.join(pocket, 'python-b.jsonl'), 'utf8')).split('\n').find((l) => l.includes(`"${id}"`)) ??
      '{}',
  ) as Record<string, unknown>;
  const setDir = path.join(root, 'set');
  await mkdir(setDir);
  await writeFile(path.join(setDir, 'spec.yaml'), randomSpec);
  await writeFile(
    path.join(setDir, 'instances.jsonl'),
    `${JSON.stringify({ ...record, source: path.join(pocket, String(record.source)), sim: 'spec.yaml' })}\n`,
  );
  const { instances } = await loadInstances(path.join(setDir, 'instances.jsonl'), { strict: true });
  await runSweep({
    docker,
    provider: new DockerSandboxProvider(docker),
    instances,
    config: config(path.join(setDir, 'instances.jsonl'), await seedForRandom(instances[0] as Instance)),
    concurrency: 2,
    run: { kind: 'new', root, runId: 'dbg' },
  });
}, 300_000);

afterAll(async () => {
  await tmux?.kill();
  await rm(root, { recursive: true, force: true });
});

describe('debugging one instance of a run made here', () => {
  it('show summarises the task and prints an unroll', async () => {
    const summary = await hotmess('show', 'dbg', id, '--no-pager');
    expect(summary.exitCode).toBe(0);
    const { records } = await readUnrolls(path.join(root, 'dbg'));
    for (const r of records)
      expect(summary.stdout).toMatch(
        new RegExp(`^${r.unroll}\\s+RESOLVED_${r.resolution}\\s+${r.actions}\\s+submitted`, 'm'),
      );
    expect(summary.stdout).toContain('Tests × unrolls');
    const one = await hotmess('show', 'dbg', id, '0', '--no-pager');
    expect(one.stdout).toMatch(/\[1\] bash\n\s+\$ .+\n\s+exit \d+ · \d+ ms/);
  });

  it('replays a sim unroll with no divergence, and its grade agrees with the record', async () => {
    const trajectory = await readTrajectory(artifactPath(path.join(root, 'dbg'), 'trajectory', id, 0));
    expect(actionsOf(trajectory).some((a) => a.command === randomCommand)).toBe(false);
    const count = replayable(actionsOf(trajectory)).length;
    const r = await hotmess('replay', 'dbg', id, '0');
    expect(r.stdout).toContain(`No divergence: all ${count} actions gave the recorded exit code and output.`);
    expect(r.stdout).toContain('Final state: the work tree holds the recorded patch.');
    expect(r.stdout).toMatch(/Graded now: RESOLVED_\w+ \(grading \w+\), as recorded\./);
    expect(r.exitCode).toBe(0);
    expect(await containersOf('replay-dbg')).toEqual([]);
  });

  it('reports a test printing a random number as the first divergence, at its action', async () => {
    const trajectory = await readTrajectory(artifactPath(path.join(root, 'dbg'), 'trajectory', id, 1));
    const actions = actionsOf(trajectory);
    const randomAt = actions.filter((a) => a.command === randomCommand).map((a) => a.index);
    expect(randomAt[0]).toBeGreaterThanOrEqual(3);
    const r = await hotmess('replay', 'dbg', id, '1', '--no-grade');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(
      `First divergence at action ${randomAt[0]} (turn ${randomAt[0]}); ${randomAt.length} of ${replayable(actions).length} actions diverged.`,
    );
    expect(r.stdout).toMatch(
      /output first differs at line 2:\n\s+recorded: test_random: 0\.\d+\n\s+replayed: test_random: 0\.\d+/,
    );
    for (const a of actions.filter((x) => x.index < (randomAt[0] ?? 0))) expect(r.stdout).toContain(`✓ [${a.index}]`);
    expect(r.stdout).toContain('Final state: the work tree holds the recorded patch.\nNot graded (--no-grade).');
  });

  it('opens a shell in the sandbox replayed up to --at N, and removes it on exit (or keeps it with --keep)', async () => {
    const trajectory = await readTrajectory(artifactPath(path.join(root, 'dbg'), 'trajectory', id, 0));
    const write = actionsOf(trajectory).find((a) => a.command.includes('git apply'));
    expect(write).toBeDefined();
    const at = write?.index ?? 0;
    await tmux.start(`HOTMESS_LOGS=${root} node ${cli} shell dbg ${id} 0 --at ${at - 1}`);
    await tmux.waitFor(/hotmess@\w+:\/testbed\$ $/m, 60_000);
    await tmux.send('git status --short; echo "state-$((6*7))"', 'Enter');
    let screen = await tmux.waitFor(/^state-42$/m);
    expect(screen).not.toMatch(/^ M semver\/version\.py$/m);
    await tmux.send('exit', 'Enter');
    screen = await tmux.waitFor(/\[exited \d+\]/);
    expect(screen).toContain('The container was removed.');
    expect(await containersOf('shell-dbg')).toEqual([]);
    await tmux.kill();

    await tmux.start(`HOTMESS_LOGS=${root} node ${cli} shell dbg ${id} 0 --keep`);
    await tmux.waitFor(/hotmess@\w+:\/testbed\$ $/m, 60_000);
    await tmux.send('git status --short', 'Enter');
    await tmux.waitFor(/^ M semver\/version\.py$/m);
    await tmux.send('exit', 'Enter');
    screen = await tmux.waitFor(/\[exited 0\]/);
    const name = /Kept container (\S+) \(/.exec(screen)?.[1];
    expect(name).toBeDefined();
    const kept = await containersOf('shell-dbg');
    expect(kept).toHaveLength(1);
    await docker.getContainer(kept[0] as string).remove({ force: true });
    await tmux.kill();
  });

  it('run-one --step: edit an action, open a shell, then grade now; or quit keeping the trajectory', async () => {
    const out = path.join(root, 'step');
    await tmux.start(`HOTMESS_LOGS=${root} node ${cli} run-one --instance ${id} --seed 3 --step --out ${out}`);
    await tmux.waitFor(/proposed action 1/, 90_000);
    await tmux.waitFor(/\[q\]uit > $/m);
    await tmux.send('e', 'Enter');
    await tmux.waitFor(/^edit> /m);
    await tmux.send('C-u', 'echo "edited-$((2+3))"', 'Enter');
    await tmux.waitFor(/proposed action 2/);
    await tmux.send('s', 'Enter');
    await tmux.waitFor(/hotmess@\w+:\/testbed\$ $/m);
    await tmux.send('echo "in-shell-$((3*3))"', 'Enter');
    await tmux.waitFor(/^in-shell-9$/m);
    await tmux.send('exit', 'Enter');
    await tmux.waitFor(/\[q\]uit > /, 30_000, 3);
    await tmux.send('g', 'Enter');
    const screen = await tmux.waitFor(/\[exited \d+\]/, 90_000);
    await writeFile(path.join(logsDir(), 'debug-step-session.txt'), screen);
    expect(screen).toMatch(/^graded: RESOLVED_NO \(FAIL_TO_PASS 0\/\d+, PASS_TO_PASS \d+\/\d+\)$/m);
    expect(screen).toContain('[exited 0]');
    await tmux.kill();
    const runDir = path.join(out, (await execa('ls', [out])).stdout.trim());
    const { records } = await readUnrolls(runDir);
    expect(records.map((r) => [r.stop_reason, r.actions])).toEqual([['user_stop', 1]]);
    const trajectory = await readTrajectory(artifactPath(runDir, 'trajectory', id, 0));
    const [first] = actionsOf(trajectory);
    expect(first?.command).toBe('echo "edited-$((2+3))"');
    expect(first?.editedFrom).toBeDefined();
    expect(first?.observation).toContain('edited-5');

    const quitOut = path.join(root, 'quit');
    await tmux.start(`HOTMESS_LOGS=${root} node ${cli} run-one --instance ${id} --seed 3 --step --out ${quitOut}`);
    await tmux.waitFor(/\[q\]uit > $/m, 90_000);
    await tmux.send('q', 'Enter');
    const quit = await tmux.waitFor(/\[exited \d+\]/, 60_000);
    expect(quit).toMatch(/quit: the trajectory is kept in \S+0\.json \(not graded\)/);
    const quitDir = path.join(quitOut, (await execa('ls', [quitOut])).stdout.trim());
    expect((await readUnrolls(quitDir)).records).toEqual([]);
    expect((await readTrajectory(artifactPath(quitDir, 'trajectory', id, 0))).stopReason).toBe('user_stop');
    await tmux.kill();
  });
});
