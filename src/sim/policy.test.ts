import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldPatch, makeSimFixture } from '../../test/helpers/sim-fixture.ts';
import { nextAction, planUnroll, writeCommand, type Plan } from './policy.ts';
import { loadSimSpec } from './spec-load.ts';

function trajectory(plan: Plan): ReturnType<typeof nextAction>[] {
  const actions = [];
  for (let step = 0; ; step++) {
    const action = nextAction(plan, step);
    actions.push(action);
    if (action.kind === 'done') return actions;
  }
}

describe('the simulated agent policy', () => {
  it('plans the same unroll for the same (instance, seed), and varies across seeds', async () => {
    const spec = await loadSimSpec((await makeSimFixture()).instance);
    const again = await loadSimSpec((await makeSimFixture()).instance);
    expect(JSON.stringify(trajectory(planUnroll(spec, 7)))).toBe(JSON.stringify(trajectory(planUnroll(again, 7))));
    const shapes = new Set(Array.from({ length: 40 }, (_, seed) => JSON.stringify(trajectory(planUnroll(spec, seed)))));
    expect(shapes.size).toBeGreaterThan(20);
  });

  it('explores N times, writes the candidate, submits, then stops', async () => {
    const spec = await loadSimSpec((await makeSimFixture()).instance);
    for (let seed = 0; seed < 200; seed++) {
      const plan = planUnroll(spec, seed);
      const kinds = trajectory(plan).map((a) => a.kind);
      const writes = plan.candidate.patch === null ? [] : ['write'];
      expect(kinds).toEqual([...Array<string>(plan.explore).fill('explore'), ...writes, 'submit', 'done']);
      for (const a of trajectory(plan)) if (a.kind === 'explore') expect(spec.commands).toContain(a.input.command);
    }
  });

  it('writes a patch with a quoted heredoc that git applies, shell metacharacters intact', async () => {
    const repo = await mkdtemp(path.join(tmpdir(), 'hotmess-policy-'));
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    await mkdir(path.join(repo, 'calc'));
    await writeFile(path.join(repo, 'calc', 'ops.py'), 'def add(a, b):\n    return abs(a) + b\n');
    const tricky = `${goldPatch}diff --git a/notes.txt b/notes.txt
new file mode 100644
--- /dev/null
+++ b/notes.txt
@@ -0,0 +1,2 @@
+HOTMESS_PATCH_EOF
+$HOME \`date\` 'quoted'
`;
    const command = writeCommand(tricky);
    execFileSync('bash', ['-c', command], { cwd: repo });
    expect(await readFile(path.join(repo, 'calc', 'ops.py'), 'utf8')).toBe('def add(a, b):\n    return a + b\n');
    expect(await readFile(path.join(repo, 'notes.txt'), 'utf8')).toBe("HOTMESS_PATCH_EOF\n$HOME `date` 'quoted'\n");
  });

  it('picks a heredoc marker that no line of the text equals', () => {
    expect(writeCommand('HOTMESS_PATCH_EOF\nx\n')).toContain(
      "<<'HOTMESS_PATCH_EOF_'\nHOTMESS_PATCH_EOF\nx\nHOTMESS_PATCH_EOF_\n",
    );
  });
});
