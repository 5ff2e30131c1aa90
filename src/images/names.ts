/** Image repositories hotmess builds, and the labels it puts on them. */
export const ENV_REPO = 'hotmess/env';
export const INSTANCE_REPO = 'hotmess/instance';

export const LABEL_KIND = 'hotmess.kind';
export const LABEL_RECIPE = 'hotmess.recipe';
export const LABEL_BASE = 'hotmess.base';
export const LABEL_INSTANCE = 'hotmess.instance';
export const LABEL_USER = 'hotmess.user';

/** A Docker tag component: lower-case letters, digits, `_`, `.`, `-`; at most 128 characters. */
export function tagSlug(text: string, max = 80): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[-.]+/, '')
    .slice(0, max);
  return slug || 'x';
}

/**
 * The official image of an instance (DESIGN.md §2): `swebench/sweb.eval.x86_64.<id>:latest` with `__` spelled
 * `_1776_` (Docker Hub names allow no double underscore) and lower-cased, as Docker requires.
 */
export function officialImageName(instanceId: string, arch = 'x86_64'): string {
  return `swebench/sweb.eval.${arch}.${instanceId.replaceAll('__', '_1776_').toLowerCase()}:latest`;
}
