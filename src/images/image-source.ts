import type Docker from 'dockerode';
import { officialImageName } from './names.ts';
import type { Instance } from '../instances/schema.ts';
import { imageExists } from './inspect.ts';
import { parseImageReference } from './reference.ts';
import { pullReference, type ImageSourceOptions } from './source-options.ts';

/** `official`: a SWE-bench image (root, /testbed, conda `testbed`); `given`: the record's own `image`. */
export type ReadyOrigin = 'official' | 'given';

/** Where an instance's image comes from. */
export type ImageSourceDecision =
  /** Already on the engine: the record's image, the official image, or an earlier pull. */
  | { kind: 'local'; image: string; origin: ReadyOrigin }
  /** To pull `pull` from `registry`; the sandbox then runs `image` (the official name when pulled from a mirror). */
  | { kind: 'pull'; image: string; pull: string; registry: string; origin: ReadyOrigin }
  /** Built by hotmess in three layers from the record's `source`. */
  | { kind: 'build'; source: string };

/**
 * The one decision of where an image comes from (DESIGN §9), in this order: the record's `image`; a local
 * official image; a pull from a registry (the official name, or where --registry / --image-template point);
 * a build from `source`. A record with a `source` is built unless its `image` is already here.
 */
export async function decideImageSource(
  docker: Docker,
  instance: Instance,
  opts: ImageSourceOptions = {},
): Promise<ImageSourceDecision> {
  const official = officialImageName(instance.instance_id);
  if (instance.image && !instance.source && (await imageExists(docker, instance.image)))
    return { kind: 'local', image: instance.image, origin: instance.image === official ? 'official' : 'given' };
  if (instance.source) return { kind: 'build', source: instance.source };
  if (await imageExists(docker, official)) return { kind: 'local', image: official, origin: 'official' };
  const pull = pullReference(instance, opts);
  const origin: ReadyOrigin = instance.image && instance.image !== official ? 'given' : 'official';
  // Pulled before under the mirror's name only (its official tag removed): no need to fetch it again.
  if (pull !== official && (await imageExists(docker, pull))) return { kind: 'local', image: pull, origin };
  return {
    kind: 'pull',
    image: origin === 'official' ? official : pull,
    pull,
    registry: parseImageReference(pull).registry,
    origin,
  };
}
