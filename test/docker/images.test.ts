import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/docker/engine.ts';
import { ImageBuildError } from '../../src/errors.ts';
import { ensureInstanceImage } from '../../src/images/instance-image.ts';
import { instanceSchema, type Instance } from '../../src/instances/schema.ts';
import { repoRoot } from '../../src/paths.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { makeTinyRepo } from '../helpers/tiny-repo.ts';

const { docker } = await connectEngine();
const built: string[] = [];
const run = `test-images-${process.pid}`;

const repo = await makeTinyRepo([
  { message: 'initial', files: { 'app.py': 'VALUE = 1\n', 'README.md': '# demo\n' } },
  { message: 'add helper', files: { 'helper.py': 'def f():\n    return 2\n' } },
  { message: 'the future fix', files: { 'app.py': 'VALUE = 42  # the fix\n' } },
]);

function instance(overrides: Record<string, unknown>): Instance {
  const record = instanceSchema.parse({
    instance_id: 'demo__tiny-1',
    repo: 'demo/tiny',
    base_commit: repo.commits[1],
    patch: '',
    test_patch: '',
    problem_statement: 'x',
    FAIL_TO_PASS: [],
    PASS_TO_PASS: [],
    source: repo.bundle,
    ...overrides,
  });
  return { ...record, baseDir: path.dirname(repo.bundle) };
}

afterAll(async () => {
  for (const tag of built)
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
});

describe('instance images', () => {
  it('builds the repository at base_commit with no way to see its future, and never rebuilds an unchanged recipe', async () => {
    const progress: string[] = [];
    const first = await ensureInstanceImage(docker, instance({}), (l) => progress.push(l));
    built.push(first.tag);
    expect(first).toMatchObject({ origin: 'built', user: 'hotmess', workdir: '/testbed' });
    expect(progress.some((l) => l.includes('Step 1/'))).toBe(true);
    const id = (await docker.getImage(first.tag).inspect()).Id;

    const again: string[] = [];
    const second = await ensureInstanceImage(docker, instance({}), (l) => again.push(l));
    expect(second.tag).toBe(first.tag);
    expect(again).toEqual([]);
    expect((await docker.getImage(second.tag).inspect()).Id).toBe(id);

    const sb = await new DockerSandboxProvider(docker).start(first.tag, { user: first.user }, { run });
    try {
      const r = await sb.exec(
        'git rev-parse HEAD; git log --all --oneline | wc -l; cat app.py; git status --porcelain; git remote | wc -l',
      );
      expect(r.stdout).toBe(`${repo.commits[1]}\n2\nVALUE = 1\n0\n`);
      const fix = await sb.exec(`git cat-file -t ${repo.commits[2]} 2>&1`);
      expect(fix.exitCode).not.toBe(0);
    } finally {
      await sb.close();
    }
  });

  it('`hotmess doctor` names the hotmess images that exist, by kind and tag', async () => {
    const img = await ensureInstanceImage(docker, instance({}));
    built.push(img.tag);
    const hotmess = path.join(repoRoot, 'bin/hotmess.js');
    const json = JSON.parse((await execa('node', [hotmess, 'doctor', '--json'])).stdout) as {
      images: { list: { kind: string; tag: string }[] };
    };
    expect(json.images.list).toContainEqual({ kind: 'instance', tag: img.tag });
    expect(json.images.list.some((i) => i.kind === 'base')).toBe(true);
    const text = (await execa('node', [hotmess, 'doctor'])).stdout;
    expect(text).toMatch(new RegExp(`^instance\\s+${img.tag.replace(/[.]/g, '\\.')}$`, 'm'));
  });

  it('gives a changed recipe a new tag', async () => {
    const a = await ensureInstanceImage(docker, instance({ setup: ['echo one > /tmp/marker'] }));
    const b = await ensureInstanceImage(docker, instance({ setup: ['echo two > /tmp/marker'] }));
    built.push(a.tag, b.tag);
    expect(a.tag).not.toBe(b.tag);
  });

  it('keeps files that setup leaves behind out of the agent diff', async () => {
    const img = await ensureInstanceImage(
      docker,
      instance({ setup: ['mkdir -p build && echo artefact > build/out.txt'] }),
    );
    built.push(img.tag);
    const sb = await new DockerSandboxProvider(docker).start(img.tag, { user: img.user }, { run });
    try {
      expect(await sb.diff(repo.commits[1] as string)).toBe('');
      await sb.exec('echo "VALUE = 2" > app.py && echo new > added.txt');
      const diff = await sb.diff(repo.commits[1] as string, { excludePaths: ['README.md'] });
      expect(diff).toContain('+VALUE = 2');
      expect(diff).toContain('added.txt');
      expect(diff).not.toContain('build/out.txt');
    } finally {
      await sb.close();
    }
  });

  it('builds from a tarball source as well', async () => {
    const tarball = path.join(path.dirname(repo.bundle), 'repo.tar.gz');
    await execa('tar', ['-czf', tarball, '-C', path.dirname(repo.dir), 'repo']);
    const img = await ensureInstanceImage(docker, instance({ source: tarball }));
    built.push(img.tag);
    const sb = await new DockerSandboxProvider(docker).start(img.tag, { user: img.user }, { run });
    try {
      expect((await sb.exec('git rev-parse HEAD; ls')).stdout).toBe(
        `${repo.commits[1]}\nREADME.md\napp.py\nhelper.py\n`,
      );
    } finally {
      await sb.close();
    }
  });

  it('reports a failed build with the failing step and the tail of its output', async () => {
    const failing = instance({
      setup: ['echo "compiling the thing"', 'echo "error: missing header foo.h" >&2', 'exit 7'],
    });
    const err = await ensureInstanceImage(docker, failing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImageBuildError);
    const e = err as ImageBuildError;
    expect(e.step).toMatch(/^Step \d+\/\d+ : RUN set -eux; echo "compiling the thing"/);
    expect(e.logTail).toContain('error: missing header foo.h');
    // The first line leads with the step's own last words, not the xtrace echo or the engine's quote of the command.
    expect(e.message.split('\n')[0]).toMatch(
      /^Building \S+ failed: error: missing header foo\.h \(at Step \d+\/\d+ : RUN set -eux; .*, exit code 7\)$/,
    );
  });

  it('names a missing source and an unknown base commit', async () => {
    await expect(ensureInstanceImage(docker, instance({ source: '/nonexistent/repo.bundle' }))).rejects.toThrow(
      /does not exist/,
    );
    await writeFile(path.join(path.dirname(repo.bundle), 'notes.txt'), 'x');
    await expect(
      ensureInstanceImage(docker, instance({ source: path.join(path.dirname(repo.bundle), 'notes.txt') })),
    ).rejects.toThrow(/not a git bundle/);
    const bad = ensureInstanceImage(docker, instance({ base_commit: 'a'.repeat(40) }));
    await expect(bad).rejects.toThrow(/^Building \S+ failed: .*is not in the source repository/);
  });
});
