import { execa } from 'execa';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { z } from 'zod';
import { ImageBuildError, errorMessage } from '../errors.ts';
import { harnessDir } from '../paths.ts';
import { hashParts } from './hash.ts';
import { imageExists } from './inspect.ts';
import { LogTail, type ProgressFn, quiet } from './progress.ts';

const recipeSchema = z.object({
  suite: z.string(),
  variant: z.string(),
  mirror: z.string().url(),
  packages: z.array(z.string()),
  user: z.object({ name: z.string(), uid: z.number().int() }),
  workdir: z.string(),
});
export type BaseRecipe = z.infer<typeof recipeSchema>;

export const BASE_REPO = 'hotmess/base';

export interface BaseImage {
  tag: string;
  recipe: BaseRecipe;
  hash: string;
}

/** The base image's tag is a hash of its recipe files: editing them makes a new image, nothing else does. */
export async function baseImageSpec(): Promise<BaseImage & { finalizeScript: string }> {
  const dir = path.join(harnessDir(), 'images', 'base');
  const recipeText = await readFile(path.join(dir, 'recipe.json'), 'utf8');
  const finalizeScript = path.join(dir, 'finalize.sh');
  const finalizeText = await readFile(finalizeScript, 'utf8');
  const recipe = recipeSchema.parse(JSON.parse(recipeText));
  const hash = hashParts([recipeText, finalizeText]);
  return { tag: `${BASE_REPO}:${hash}`, recipe, hash, finalizeScript };
}

const inFlight = new Map<string, Promise<BaseImage>>();

/** Returns the base image, building it (debootstrap + docker import, root only) when it is missing. */
export function ensureBaseImage(docker: Docker, progress: ProgressFn = quiet): Promise<BaseImage> {
  const key = 'base';
  let pending = inFlight.get(key);
  if (!pending) {
    pending = buildBaseIfMissing(docker, progress).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

async function buildBaseIfMissing(docker: Docker, progress: ProgressFn): Promise<BaseImage> {
  const spec = await baseImageSpec();
  const { tag, recipe, hash } = spec;
  if (await imageExists(docker, tag)) return { tag, recipe, hash };
  if (process.getuid?.() !== 0) {
    throw new ImageBuildError(
      `The base image ${tag} is missing and building it needs root (debootstrap); rerun as root or build it once with 'sudo hotmess images build'.`,
      'debootstrap',
      '',
    );
  }
  const tail = new LogTail();
  const work = await mkdtemp(path.join(tmpdir(), 'hotmess-rootfs-'));
  const rootfs = path.join(work, 'rootfs');
  try {
    progress(`base: debootstrap ${recipe.suite} (${recipe.variant}) with ${recipe.packages.join(', ')}`);
    await runStep('debootstrap', tail, progress, 'debootstrap', [
      `--variant=${recipe.variant}`,
      `--include=${recipe.packages.join(',')}`,
      recipe.suite,
      rootfs,
      recipe.mirror,
    ]);
    progress('base: finalising the root filesystem');
    await copyFile(spec.finalizeScript, path.join(rootfs, 'hotmess-finalize.sh'));
    await runStep('finalize', tail, progress, 'chroot', [
      rootfs,
      '/bin/sh',
      '/hotmess-finalize.sh',
      recipe.user.name,
      String(recipe.user.uid),
      recipe.workdir,
    ]);
    await rm(path.join(rootfs, 'hotmess-finalize.sh'));
    progress(`base: importing as ${tag}`);
    await importRootfs(docker, rootfs, tag, hash, recipe);
    progress(`base: ${tag} ready`);
    return { tag, recipe, hash };
  } catch (err) {
    if (err instanceof ImageBuildError) throw err;
    throw new ImageBuildError(`Building the base image failed: ${errorMessage(err)}`, 'import', tail.toString(), err);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function runStep(step: string, tail: LogTail, progress: ProgressFn, file: string, args: string[]): Promise<void> {
  const child = execa(file, args, {
    all: true,
    reject: false,
    timeout: 20 * 60_000,
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
  child.all?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    tail.push(text);
    for (const line of text.split('\n')) if (line.startsWith('I: ')) progress(`base: ${line.slice(3)}`);
  });
  const result = await child;
  if (result.failed) {
    const why = result.timedOut
      ? 'timed out'
      : result.exitCode === undefined
        ? String(result.shortMessage)
        : `exited with ${result.exitCode}`;
    throw new ImageBuildError(`Base image step '${step}' ${why}:\n${tail.toString()}`, step, tail.toString());
  }
}

async function importRootfs(
  docker: Docker,
  rootfs: string,
  tag: string,
  hash: string,
  recipe: BaseRecipe,
): Promise<void> {
  const [repo, version] = tag.split(':') as [string, string];
  const tar = execa('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], { buffer: false, encoding: 'buffer' });
  const changes = [
    'ENV LANG=C.UTF-8',
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `WORKDIR ${recipe.workdir}`,
    'CMD ["/bin/bash"]',
    `LABEL hotmess.kind=base hotmess.recipe=${hash}`,
  ];
  const stream = await docker.importImage(tar.stdout, { repo, tag: version, changes });
  const output = await new Promise<unknown[]>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: unknown[]) => (err ? reject(err) : resolve(res))),
  );
  await tar;
  const failure = output.find(
    (item): item is { error: string } => typeof (item as { error?: unknown }).error === 'string',
  );
  if (failure) throw new ImageBuildError(`docker import failed: ${failure.error}`, 'import', failure.error);
}
