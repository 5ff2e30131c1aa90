import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';

export interface TinyRepo {
  dir: string;
  /** One commit per step, in order. */
  commits: string[];
  bundle: string;
}

const fixedDate = '2024-01-01T00:00:00Z';

/**
 * A real git repository built in a tmp dir, one commit per step (files written, then committed), and a
 * bundle of all of it: the shape of a bundled task's source.
 */
export async function makeTinyRepo(steps: { message: string; files: Record<string, string> }[]): Promise<TinyRepo> {
  const root = await mkdtemp(path.join(tmpdir(), 'hotmess-repo-'));
  const dir = path.join(root, 'repo');
  await mkdir(dir);
  const git = simpleGit(dir);
  await git.init();
  await git.addConfig('user.name', 'Test');
  await git.addConfig('user.email', 'test@example.com');
  const commits: string[] = [];
  for (const step of steps) {
    for (const [file, content] of Object.entries(step.files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
    await git.add('.');
    await git.commit(step.message, undefined, { '--date': fixedDate });
    commits.push((await git.revparse(['HEAD'])).trim());
  }
  const bundle = path.join(root, 'repo.bundle');
  await git.raw(['bundle', 'create', bundle, '--all']);
  return { dir, commits, bundle };
}
