import type Docker from 'dockerode';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.ts';
import type { Instance } from '../instances/schema.ts';
import { shellQuote } from '../sandbox/shell-script.ts';
import { baseImageSpec, ensureBaseImage, type BaseImage } from './base.ts';
import { buildImage, type ContextEntry } from './build.ts';
import { hashParts, hashPath } from './hash.ts';
import { decideImageSource, type ImageSourceDecision } from './image-source.ts';
import { imageExists } from './inspect.ts';
import {
  ENV_REPO,
  INSTANCE_REPO,
  LABEL_BASE,
  LABEL_INSTANCE,
  LABEL_KIND,
  LABEL_RECIPE,
  LABEL_USER,
  tagSlug,
} from './names.ts';
import { type ProgressFn, quiet } from './progress.ts';
import { pullImage } from './pull.ts';
import type { ImageSourceOptions } from './source-options.ts';

/** The image an unroll of this instance runs in, and how to run in it. */
export interface InstanceImage {
  tag: string;
  /** User commands run as, and where the repository is. */
  user: string;
  workdir: string;
  /** `official` (a SWE-bench image, pulled or not), `given` (the record's `image`) or `built` (hotmess's three layers). */
  origin: 'official' | 'given' | 'built';
}

const WORKDIR = '/testbed';
const SOURCE_DIR = '/tmp/hotmess-source';

export interface EnsureImageOptions {
  /** Where missing images are pulled from (--registry, --image-template, timeout, retries). */
  source?: ImageSourceOptions;
  /** Pulls a missing image; a run passes its own, which paces pulls and records them. Default: pullImage. */
  pull?: (decision: PullDecision, instance: Instance) => Promise<void>;
}

export type PullDecision = Extract<ImageSourceDecision, { kind: 'pull' }>;

/**
 * The image for an instance, where decideImageSource says it comes from: already here, pulled, or built
 * base → env → instance from the record's `source`. Unchanged recipes are never rebuilt: tags carry content
 * hashes. One pull or build per image at a time within this process.
 */
export async function ensureInstanceImage(
  docker: Docker,
  instance: Instance,
  progress: ProgressFn = quiet,
  options: EnsureImageOptions = {},
): Promise<InstanceImage> {
  const decision = await decideImageSource(docker, instance, options.source);
  if (decision.kind === 'local')
    return { tag: decision.image, user: 'root', workdir: WORKDIR, origin: decision.origin };
  if (decision.kind === 'pull') {
    const pull = options.pull ?? defaultPull(docker, options.source ?? {}, progress);
    await once(decision.image, async () => {
      if (!(await imageExists(docker, decision.image))) await pull(decision, instance);
    });
    return { tag: decision.image, user: 'root', workdir: WORKDIR, origin: decision.origin };
  }
  const base = await ensureBaseImage(docker, progress);
  const env = await ensureEnvImage(docker, instance, base, progress);
  return ensureInstanceLayer(docker, instance, base, env, progress);
}

function defaultPull(
  docker: Docker,
  source: ImageSourceOptions,
  progress: ProgressFn,
): (decision: PullDecision) => Promise<void> {
  return async (decision) => {
    progress(`pulling ${decision.pull}`);
    const result = await pullImage(docker, decision.pull, {
      ...(decision.image !== decision.pull ? { tagAs: decision.image } : {}),
      ...(source.pullTimeoutSeconds ? { timeoutSeconds: source.pullTimeoutSeconds } : {}),
      ...(source.pullRetries !== undefined ? { retries: source.pullRetries } : {}),
      onRetry: ({ attempt, delayMs, error }) => progress(`retry ${attempt} in ${delayMs} ms: ${error.message}`),
    });
    progress(`pulled ${decision.pull} (${result.sizeBytes} bytes) in ${Math.round(result.durationMs)} ms`);
  };
}

/** The per-repository layer: the base plus `env_setup` (the base itself when there is none). */
async function ensureEnvImage(
  docker: Docker,
  instance: Instance,
  base: BaseImage,
  progress: ProgressFn,
): Promise<string> {
  const recipe = envRecipe(instance, base);
  if (!recipe) return base.tag;
  const { dockerfile, tag, hash } = recipe;
  return once(tag, async () => {
    if (await imageExists(docker, tag)) return tag;
    progress(`building ${tag}`);
    await buildImage(docker, {
      tag,
      dockerfile,
      labels: {
        [LABEL_KIND]: 'env',
        [LABEL_RECIPE]: hash,
        [LABEL_BASE]: base.hash,
        [LABEL_USER]: base.recipe.user.name,
      },
      progress,
    });
    return tag;
  });
}

/** The env layer's Dockerfile and tag; none when the record has no `env_setup` (the base serves). */
function envRecipe(instance: Instance, base: BaseImage): { dockerfile: string; tag: string; hash: string } | undefined {
  const setup = instance.env_setup ?? [];
  if (setup.length === 0) return undefined;
  const dockerfile = [
    `FROM ${base.tag}`,
    'USER root',
    `RUN set -eux; ${setup.join('; ')}`,
    `USER ${base.recipe.user.name}`,
  ].join('\n');
  return { dockerfile, ...recipeTag(ENV_REPO, `${instance.repo}-${instance.version}`, dockerfile) };
}

/**
 * A layer's tag: its name and a hash of the exact Dockerfile text it is built from plus the bytes of anything
 * it copies in, so that a change to the generated steps gets a new image instead of a stale one.
 */
export function recipeTag(
  repository: string,
  name: string,
  dockerfile: string,
  context: readonly string[] = [],
): { tag: string; hash: string } {
  const hash = hashParts([dockerfile, ...context]);
  return { tag: `${repository}:${tagSlug(name)}-${hash}`, hash };
}

async function ensureInstanceLayer(
  docker: Docker,
  instance: Instance,
  base: BaseImage,
  envTag: string,
  progress: ProgressFn,
): Promise<InstanceImage> {
  const { dockerfile, tag, hash, sourcePath, kind } = await instanceRecipe(instance, base, envTag);
  const user = base.recipe.user.name;
  const image: InstanceImage = { tag, user, workdir: WORKDIR, origin: 'built' };
  return once(tag, async () => {
    if (await imageExists(docker, tag)) return image;
    progress(`building ${tag}`);
    const context: ContextEntry[] = [
      { name: kind === 'directory' ? 'source' : `source/${path.basename(sourcePath)}`, hostPath: sourcePath },
    ];
    await buildImage(docker, {
      tag,
      dockerfile,
      context,
      labels: {
        [LABEL_KIND]: 'instance',
        [LABEL_RECIPE]: hash,
        [LABEL_BASE]: base.hash,
        [LABEL_INSTANCE]: instance.instance_id,
        [LABEL_USER]: user,
      },
      progress,
    });
    return image;
  });
}

async function instanceRecipe(instance: Instance, base: BaseImage, envTag: string) {
  const sourcePath = path.resolve(instance.baseDir, instance.source as string);
  const kind = await sourceKind(sourcePath, instance);
  const args = {
    envTag,
    kind,
    sourceFile: path.basename(sourcePath),
    baseCommit: instance.base_commit,
    setup: instance.setup ?? [],
    user: base.recipe.user.name,
  };
  return { ...instanceLayerRecipe(instance.instance_id, args, await hashPath(sourcePath)), sourcePath, kind };
}

/** The tag a build from `source` gives, computed without building anything (for a plan). */
export async function builtImageTag(instance: Instance): Promise<string> {
  const base = await baseImageSpec();
  return (await instanceRecipe(instance, base, envRecipe(instance, base)?.tag ?? base.tag)).tag;
}

type SourceKind = 'bundle' | 'tarball' | 'directory';

interface InstanceDockerfileArgs {
  envTag: string;
  kind: SourceKind;
  sourceFile: string;
  baseCommit: string;
  setup: string[];
  user: string;
}

/** The instance layer's Dockerfile and its tag, from the Dockerfile's arguments and the source's content hash. */
export function instanceLayerRecipe(
  instanceId: string,
  args: InstanceDockerfileArgs,
  sourceHash: string,
): { dockerfile: string; tag: string; hash: string } {
  const dockerfile = instanceDockerfile(args);
  return { dockerfile, ...recipeTag(INSTANCE_REPO, instanceId, dockerfile, [sourceHash]) };
}

async function sourceKind(sourcePath: string, instance: Instance): Promise<SourceKind> {
  let info;
  try {
    info = await stat(sourcePath);
  } catch {
    throw new InputError(`Instance ${instance.instance_id}: its source ${sourcePath} does not exist.`);
  }
  if (info.isDirectory()) return 'directory';
  if (sourcePath.endsWith('.bundle')) return 'bundle';
  if (/\.(tar|tar\.gz|tgz)$/.test(sourcePath)) return 'tarball';
  throw new InputError(
    `Instance ${instance.instance_id}: source ${sourcePath} is not a git bundle (.bundle), tarball (.tar, .tar.gz, .tgz) or directory.`,
  );
}

/**
 * The repository at base_commit with no way to see its future: other refs, remotes and reflogs are
 * dropped and unreachable objects pruned, so `git log --all` cannot show the fix. Files that `setup`
 * leaves behind are added to .git/info/exclude, so they never count as the agent's changes.
 */
export function instanceDockerfile(args: InstanceDockerfileArgs): string {
  const materialise = {
    bundle: `git clone -q ${SOURCE_DIR}/${args.sourceFile} ${WORKDIR}`,
    tarball: `mkdir -p /tmp/src && tar -xf ${SOURCE_DIR}/${args.sourceFile} -C /tmp/src && if [ "$(ls -A /tmp/src | wc -l)" = 1 ] && [ -d "/tmp/src/$(ls -A /tmp/src)" ]; then cp -a "/tmp/src/$(ls -A /tmp/src)/." ${WORKDIR}/; else cp -a /tmp/src/. ${WORKDIR}/; fi && rm -rf /tmp/src`,
    directory: `cp -a ${SOURCE_DIR}/. ${WORKDIR}/`,
  }[args.kind];
  const commit = shellQuote(args.baseCommit);
  const lines = [
    `FROM ${args.envTag}`,
    'USER root',
    `COPY source ${SOURCE_DIR}`,
    [
      'RUN set -eu',
      `cd / && rm -rf ${WORKDIR} && mkdir -p ${WORKDIR}`,
      materialise,
      `rm -rf ${SOURCE_DIR}`,
      `cd ${WORKDIR}`,
      'if [ ! -e .git ]; then echo "the source holds no git repository (no .git at its top; a tarball needs one: pack a clone, not a git archive export)" >&2; exit 1; fi',
      `if ! git cat-file -e ${commit}^{commit}; then echo "base_commit ${args.baseCommit} is not in the source repository" >&2; exit 1; fi`,
      `git checkout -q -f --detach ${commit}`,
      'git for-each-ref --format="%(refname)" | xargs -r -n1 git update-ref -d',
      'for r in $(git remote); do git remote remove "$r"; done',
      `git checkout -q -B main ${commit}`,
      'git reflog expire --expire=now --all',
      'git gc -q --prune=now',
      'git clean -qfdx',
      `chown -R ${args.user}:${args.user} ${WORKDIR}`,
    ].join(' && \\\n    '),
    `USER ${args.user}`,
    `WORKDIR ${WORKDIR}`,
  ];
  if (args.setup.length > 0) {
    lines.push(`RUN set -eux; ${args.setup.join('; ')}; git ls-files --others --exclude-standard >> .git/info/exclude`);
  }
  return `${lines.join('\n')}\n`;
}

const building = new Map<string, Promise<unknown>>();

/** One build per tag at a time within this process; concurrent unrolls of one instance share it. */
function once<T>(tag: string, fn: () => Promise<T>): Promise<T> {
  const existing = building.get(tag) as Promise<T> | undefined;
  if (existing) return existing;
  const pending = fn().finally(() => building.delete(tag));
  building.set(tag, pending);
  return pending;
}
