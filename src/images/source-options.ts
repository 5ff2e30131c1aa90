import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { officialImageName } from './names.ts';
import type { Instance } from '../instances/schema.ts';

/** Docker Hub's namespace of the official SWE-bench images, which `--registry` replaces. */
export const OFFICIAL_NAMESPACE = 'swebench';
export const DEFAULT_IMAGE_TEMPLATE = '{registry}/sweb.eval.x86_64.{id}:latest';

/**
 * Where missing images are pulled from: recorded in run.json, so a resumed run pulls from the same place.
 * `registry` is HOST[:PORT][/PREFIX]; a bare HOST[:PORT] keeps the `swebench/` namespace (a Docker Hub mirror).
 */
export const imageSourceOptionsSchema = z.object({
  registry: z.string().optional(),
  imageTemplate: z.string().optional(),
  /** Seconds one pull attempt may take before it is abandoned. */
  pullTimeoutSeconds: z.number().positive().optional(),
  /** Pull attempts beyond the first on a transient error. */
  pullRetries: z.number().int().nonnegative().optional(),
});
export type ImageSourceOptions = z.infer<typeof imageSourceOptionsSchema>;

/** What run.json records of where images come from, so that a resumed run pulls from the same place. */
export const runImageOptionsSchema = imageSourceOptionsSchema.extend({
  /** --max-image-disk, in GB (10^9 bytes). */
  maxImageDiskGb: z.number().positive().optional(),
  pullConcurrency: z.number().int().positive().optional(),
});
export type RunImageOptions = z.infer<typeof runImageOptionsSchema>;

const registryPattern = /^(?:[a-z0-9.-]+|\[[0-9a-f:]+\])(?::\d{1,5})?(?:\/[a-z0-9._/-]+)?$/i;

/** Checks `--registry` and `--image-template` once, with one sentence naming the bad flag. */
export function checkImageSourceOptions(opts: ImageSourceOptions): ImageSourceOptions {
  if (opts.registry !== undefined) {
    const value = opts.registry.replace(/\/+$/, '');
    if (!registryPattern.test(value) || /^[a-z]+:\/\//i.test(opts.registry))
      throw new UsageError(
        `--registry ${opts.registry} is not HOST[:PORT][/PREFIX] (e.g. 127.0.0.1:5000 or mirror.example.com/swebench; no scheme).`,
      );
  }
  if (opts.imageTemplate !== undefined) {
    if (!/\{(id|instance_id)\}/.test(opts.imageTemplate))
      throw new UsageError(
        `--image-template ${opts.imageTemplate} has no {id} or {instance_id}: every task would pull the same image.`,
      );
    const unknown = [...opts.imageTemplate.matchAll(/\{([^}]*)\}/g)]
      .map((m) => m[1])
      .filter((name) => !['registry', 'id', 'instance_id'].includes(name ?? ''));
    if (unknown.length > 0)
      throw new UsageError(
        `--image-template names {${unknown[0]}}; it may use only {registry}, {id} and {instance_id}.`,
      );
  }
  return opts;
}

/** `{registry}` as the template sees it: the official namespace, or where --registry moves it. */
export function registryPrefix(opts: ImageSourceOptions): string {
  if (opts.registry === undefined) return OFFICIAL_NAMESPACE;
  const value = opts.registry.replace(/\/+$/, '');
  return value.includes('/') ? value : `${value}/${OFFICIAL_NAMESPACE}`;
}

/**
 * The name an instance's image is pulled under. A record naming its own `image` other than the official one
 * is pulled as named; otherwise the template (default: the official name, moved by --registry) decides.
 */
export function pullReference(instance: Instance, opts: ImageSourceOptions = {}): string {
  const official = officialImageName(instance.instance_id);
  if (instance.image && instance.image !== official) return instance.image;
  if (opts.registry === undefined && opts.imageTemplate === undefined) return official;
  const id = instance.instance_id.replaceAll('__', '_1776_').toLowerCase();
  return (opts.imageTemplate ?? DEFAULT_IMAGE_TEMPLATE)
    .replaceAll('{registry}', registryPrefix(opts))
    .replaceAll('{instance_id}', instance.instance_id)
    .replaceAll('{id}', id);
}
