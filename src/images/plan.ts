import type Docker from 'dockerode';
import pLimit from 'p-limit';
import { ZodError } from 'zod';
import { errorMessage, HotmessError } from '../errors.ts';
import type { Instance } from '../instances/schema.ts';
import { registryCredentials } from './docker-config.ts';
import { decideImageSource } from './image-source.ts';
import { builtImageTag } from './instance-image.ts';
import { parseImageReference, registryDisplayName } from './reference.ts';
import { fetchManifestSize } from './registry-http.ts';
import type { ImageSourceOptions } from './source-options.ts';

/** Where one task's image would come from, for `run --dry-run` and `images pull`. */
export interface ImagePlanEntry {
  instance_id: string;
  /** `local`: on the engine already; `pull`: to pull from `registry`; `build`: to build from the record's source. */
  source: 'local' | 'pull' | 'build';
  origin: 'official' | 'given' | 'built';
  /** The image the sandboxes would run (for a build: the tag it would get; null when that cannot be told). */
  image: string | null;
  /** The name pulled (a mirror's name may differ from `image`). */
  pull?: string;
  registry?: string;
  /** Whether `image` is on the engine now (a build whose tag is already present needs no work). */
  present: boolean;
  /** On-disk size of a present image. */
  localBytes?: number;
  /** For a pull: the compressed download size as the registry's manifest says; null when it does not say. */
  downloadBytes: number | null;
  /** Why there is no size, or why the build tag is unknown. */
  note?: string;
}

export interface PlanImagesOptions extends ImageSourceOptions {
  /** Ask the registries for sizes (default true); false plans from the engine alone. */
  askRegistry?: boolean;
  registryTimeoutMs?: number;
  /** Registry requests at once. */
  concurrency?: number;
  /** Docker client config for credentials (default: as `docker pull`). */
  dockerConfig?: string;
}

/**
 * What getting every task's image would take, without pulling or building anything: the source decision of
 * each task, whether its image is here, and for pulls the size the registry's manifest gives. A registry that
 * cannot be reached is asked once; its tasks then say so in `note`.
 */
export async function planImages(
  docker: Docker,
  instances: readonly Instance[],
  opts: PlanImagesOptions = {},
): Promise<ImagePlanEntry[]> {
  const limit = pLimit(Math.max(1, opts.concurrency ?? 4));
  const unreachable = new Map<string, string>();
  return Promise.all(
    instances.map((instance) =>
      limit(async (): Promise<ImagePlanEntry> => {
        const decision = await decideImageSource(docker, instance, opts);
        const id = instance.instance_id;
        if (decision.kind === 'local') {
          const info = await docker.getImage(decision.image).inspect();
          return {
            instance_id: id,
            source: 'local',
            origin: decision.origin,
            image: decision.image,
            present: true,
            localBytes: info.Size,
            downloadBytes: null,
          };
        }
        if (decision.kind === 'build') {
          let tag: string;
          try {
            tag = await builtImageTag(instance);
          } catch (err) {
            if (!(err instanceof HotmessError)) throw err;
            return { ...buildEntry(id, null, false), note: err.message };
          }
          const size = await localSize(docker, tag);
          return {
            ...buildEntry(id, tag, size !== undefined),
            ...(size !== undefined ? { localBytes: size } : {}),
          };
        }
        const entry: ImagePlanEntry = {
          instance_id: id,
          source: 'pull',
          origin: decision.origin,
          image: decision.image,
          pull: decision.pull,
          registry: decision.registry,
          present: false,
          downloadBytes: null,
        };
        if (opts.askRegistry === false) return entry;
        const known = unreachable.get(decision.registry);
        if (known !== undefined) return { ...entry, note: known };
        try {
          const ref = parseImageReference(decision.pull);
          const answer = await fetchManifestSize(
            ref,
            await registryCredentials(ref.registry, ...(opts.dockerConfig ? [opts.dockerConfig] : [])),
            opts.registryTimeoutMs,
          );
          if (answer.found) return { ...entry, downloadBytes: answer.downloadBytes };
          return {
            ...entry,
            note: `${registryDisplayName(decision.registry)} answered ${answer.status} ${answer.reason}`,
          };
        } catch (err) {
          if (err instanceof ZodError)
            return { ...entry, note: `${registryDisplayName(decision.registry)} sent a manifest hotmess cannot read` };
          if (!isNetworkError(err)) throw err;
          const note = `${registryDisplayName(decision.registry)} unreachable (${causeOf(err)})`;
          unreachable.set(decision.registry, note);
          return { ...entry, note };
        }
      }),
    ),
  );
}

function buildEntry(id: string, image: string | null, present: boolean): ImagePlanEntry {
  return { instance_id: id, source: 'build', origin: 'built', image, present, downloadBytes: null };
}

async function localSize(docker: Docker, tag: string): Promise<number | undefined> {
  try {
    return (await docker.getImage(tag).inspect()).Size;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

/** What fetch() throws when no answer comes: a TypeError 'fetch failed' with the cause, or a timeout. */
function isNetworkError(err: unknown): boolean {
  const name = (err as { name?: string }).name;
  return (
    name === 'TimeoutError' || name === 'AbortError' || (err instanceof TypeError && err.message === 'fetch failed')
  );
}

/** fetch() hides the network error in `cause`. */
function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? errorMessage(err);
}
