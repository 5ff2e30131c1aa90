import { execa } from 'execa';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/paths.ts';
import { artifactPath } from '../../src/store/layout.ts';
import { debugFixtureRun } from '../helpers/debug-run.ts';
import { Tmux } from '../helpers/tmux.ts';
import type { FixtureRun } from './report-fixture.ts';

let root: string;
let run: FixtureRun;

function hotmess(args: string[], env: Record<string, string> = { NO_COLOR: '1' }) {
  return execa('node', [path.join(repoRoot, 'bin/hotmess.js'), ...args], {
    cwd: repoRoot,
    reject: false,
    env: { HOTMESS_LOGS: root, ...env },
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-show-'));
  run = await debugFixtureRun(root, 'dbg-1', { tasks: 3, unrolls: 4 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const task = 'synthetic__task-1';

describe('hotmess show', () => {
  it('pages a long trajectory on a terminal, and prints it whole with --no-pager', async () => {
    const tmux = new Tmux(`hotmess-show-${process.pid}`);
    try {
      const show = `HOTMESS_LOGS=${root} PAGER= node ${path.join(repoRoot, 'bin/hotmess.js')} show dbg-1 ${task} 1`;
      await tmux.start(show, { width: 100, height: 20 });
      let screen = await tmux.waitFor(/^:\s*$/m, 20_000);
      expect(screen).toContain('synthetic__task-1 · unroll 1');
      expect(screen).not.toContain('stopped: submitted');
      await tmux.send('G');
      await tmux.waitFor(/stopped: submitted: the agent called submit/);
      await tmux.send('q');
      screen = await tmux.waitFor(/\[exited 0\]/);
      await tmux.kill();
      await tmux.start(`${show} --no-pager`, { width: 100, height: 20 });
      screen = await tmux.waitFor(/\[exited 0\]/, 20_000);
      expect(screen).toContain('stopped: submitted: the agent called submit');
      expect(screen).not.toMatch(/^:\s*$/m);
    } finally {
      await tmux.kill();
    }
  });

  it('summarises a task: every unroll, its patch group, and the test-by-unroll matrix', async () => {
    const r = await hotmess(['show', 'dbg-1', task, '--no-pager']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const records = run.records.filter((x) => x.instance_id === task);
    for (const rec of records)
      expect(r.stdout).toMatch(
        new RegExp(`^${rec.unroll}\\s+RESOLVED_${rec.resolution}\\s+${rec.actions}\\s+${rec.stop_reason}`, 'm'),
      );
    // Unrolls 0 and 3 wrote the same patch, 1 another, 2 none.
    expect(r.stdout).toMatch(/^\s+A\s+2 unrolls \(0, 3\)\s+calc\/ops\.py \+1 −1$/m);
    expect(r.stdout).toMatch(/^\s+B\s+1 unroll \(1\)/m);
    expect(r.stdout).toMatch(/^\s+-\s+1 unroll \(2\)\s+no change$/m);
    const f2p = records[0]?.tests[0];
    const row = r.stdout.split('\n').find((l) => l.includes(f2p?.id ?? '?')) ?? '';
    expect(row.startsWith('F2P')).toBe(true);
    expect(row.match(/[✓✗]/g)).toEqual(records.map((x) => (x.tests[0]?.pass ? '✓' : '✗')));

    const json = JSON.parse((await hotmess(['show', 'dbg-1', task, '--json'])).stdout) as {
      rows: { unroll: number; patch: string }[];
      matrix: { passes: boolean[] }[];
    };
    expect(json.rows.map((x) => x.patch)).toEqual(['A', 'B', '-', 'A']);
    expect(json.matrix).toHaveLength(5);
  });

  it('prints one unroll’s trajectory: thoughts, commands, exit codes, durations, observations; colour only when asked', async () => {
    const plain = await hotmess(['show', 'dbg-1', task, '1', '--no-pager']);
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toContain('Thought 3: let me look at file_3.py.');
    expect(plain.stdout).toMatch(
      /\[3\] bash\n\s+\$ cat file_3\.py\n\s+exit 1 · 12 ms\n\s+│ <stdout>\n\s+│ output of action 3/,
    );
    expect(plain.stdout).toContain('stopped: submitted: the agent called submit');
    expect(plain.stdout).not.toContain('\x1b[');
    const coloured = await hotmess(['show', 'dbg-1', task, '1', '--no-pager'], { FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain('\x1b[');
    const json = JSON.parse((await hotmess(['show', 'dbg-1', task, '1', '--json'])).stdout) as {
      transcript: { kind: string }[];
    };
    expect(json.transcript.filter((e) => e.kind === 'action')).toHaveLength(7);
  });
});

/** The same arguments for show, replay and shell, at once. */
const each = (args: (cmd: string) => string[]) =>
  Promise.all(['show', 'replay', 'shell'].map((cmd) => hotmess(args(cmd))));

describe('bad input gets one clear sentence (exit 2)', () => {
  const oneSentence = (stderr: string) => {
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^hotmess: [A-Z].*\.$/);
    return lines[0];
  };

  it('an unknown run', async () => {
    for (const r of await each((cmd) => [cmd, 'no-such-run', task, '0'])) {
      expect(r.exitCode).toBe(2);
      expect(oneSentence(r.stderr)).toContain('No run directory no-such-run');
    }
  });

  it('an instance that is not in the run', async () => {
    for (const r of await each((cmd) => [cmd, 'dbg-1', 'nope__x-1', '0'])) {
      expect(r.exitCode).toBe(2);
      expect(oneSentence(r.stderr)).toBe(
        'hotmess: Instance nope__x-1 is not in run dbg-1 (its tasks: synthetic__task-0, synthetic__task-1, synthetic__task-2).',
      );
    }
  });

  it('an unroll out of range', async () => {
    for (const r of await each((cmd) => [cmd, 'dbg-1', task, '9'])) {
      expect(r.exitCode).toBe(2);
      expect(oneSentence(r.stderr)).toBe(`hotmess: Task ${task} of run dbg-1 has no unroll 9 (its unrolls: 0–3).`);
    }
    const negative = await hotmess(['show', 'dbg-1', task, '-1']);
    expect(negative.exitCode).toBe(2);
  });

  it('a trajectory file cut short', async () => {
    const file = artifactPath(run.dir, 'trajectory', 'synthetic__task-2', 1);
    const size = (await readFile(file)).length;
    await truncate(file, Math.floor(size / 2));
    for (const r of await each((cmd) => [cmd, 'dbg-1', 'synthetic__task-2', '1'])) {
      expect(r.exitCode).toBe(2);
      expect(oneSentence(r.stderr)).toBe(
        `hotmess: The trajectory ${file} is cut short (its ${Math.floor(size / 2)} bytes end in the middle of the JSON), so it cannot be read.`,
      );
    }
    await writeFile(file, '{"instanceId": 3}\n');
    const wrong = await hotmess(['show', 'dbg-1', 'synthetic__task-2', '1']);
    expect(oneSentence(wrong.stderr)).toContain('is not a hotmess trajectory (instanceId:');
  });

  it('a recorded unroll whose trajectory is missing', async () => {
    await rm(artifactPath(run.dir, 'trajectory', 'synthetic__task-0', 2));
    const r = await hotmess(['show', 'dbg-1', 'synthetic__task-0', '2']);
    expect(r.exitCode).toBe(2);
    expect(oneSentence(r.stderr)).toBe(
      'hotmess: Unroll 2 of synthetic__task-0 has no trajectory to show: its trajectory file is missing.',
    );
  });

  it('shell without a terminal', async () => {
    const r = await hotmess(['shell', 'dbg-1', task, '0']);
    expect(r.exitCode).toBe(2);
    expect(oneSentence(r.stderr)).toBe(
      'hotmess: The shell command needs a terminal: run it from an interactive shell.',
    );
  });
});
