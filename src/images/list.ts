import type Docker from 'dockerode';
import { baseImageSpec } from './base.ts';
import { LABEL_BASE, LABEL_INSTANCE, LABEL_KIND, LABEL_RECIPE } from './names.ts';

export interface HotmessImage {
  id: string;
  tags: string[];
  kind: 'base' | 'env' | 'instance' | 'other';
  instance?: string;
  recipe?: string;
  base?: string;
  sizeBytes: number;
  created: Date;
}

export async function listHotmessImages(docker: Docker): Promise<HotmessImage[]> {
  const images = await docker.listImages({ filters: { label: [LABEL_KIND] } });
  return images
    .map((img) => {
      const labels = img.Labels ?? {};
      const kind = labels[LABEL_KIND];
      return {
        id: img.Id,
        tags: (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
        kind: kind === 'base' || kind === 'env' || kind === 'instance' ? kind : 'other',
        ...(labels[LABEL_INSTANCE] ? { instance: labels[LABEL_INSTANCE] } : {}),
        ...(labels[LABEL_RECIPE] ? { recipe: labels[LABEL_RECIPE] } : {}),
        ...(labels[LABEL_BASE] ? { base: labels[LABEL_BASE] } : {}),
        sizeBytes: img.Size,
        created: new Date(img.Created * 1000),
      } satisfies HotmessImage;
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || (a.tags[0] ?? '').localeCompare(b.tags[0] ?? ''));
}

export interface PruneResult {
  removed: string[];
  failed: { tag: string; reason: string }[];
}

/**
 * Removes hotmess images built from a base recipe that is no longer current (or every hotmess image with
 * `all`). Images in use by a container are left, and reported.
 */
export async function pruneImages(docker: Docker, opts: { all?: boolean } = {}): Promise<PruneResult> {
  const current = (await baseImageSpec()).hash;
  const images = await listHotmessImages(docker);
  const stale = images.filter(
    (img) => opts.all || (img.kind === 'base' ? img.recipe !== current : img.base !== current),
  );
  // Children before parents: instance, then env, then base.
  const order = { instance: 0, env: 1, other: 2, base: 3 } as const;
  stale.sort((a, b) => order[a.kind] - order[b.kind]);
  const result: PruneResult = { removed: [], failed: [] };
  for (const img of stale) {
    const name = img.tags[0] ?? img.id;
    try {
      if (img.tags.length === 0) await docker.getImage(img.id).remove();
      for (const tag of img.tags) await docker.getImage(tag).remove();
      result.removed.push(name);
    } catch (err) {
      result.failed.push({ tag: name, reason: (err as { json?: { message?: string } }).json?.message ?? String(err) });
    }
  }
  return result;
}
