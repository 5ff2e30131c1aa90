import { describe, expect, it } from 'vitest';
import { instanceLayerRecipe, recipeTag } from './instance-image.ts';
import { ENV_REPO } from './names.ts';

const args = {
  envTag: 'hotmess/base:abc',
  kind: 'bundle' as const,
  sourceFile: 'repo.bundle',
  baseCommit: 'a'.repeat(40),
  setup: ['pip install -e .'],
  user: 'hotmess',
};

describe('image tags', () => {
  it('are stable for an unchanged recipe', () => {
    expect(instanceLayerRecipe('demo__x-1', args, 'src1')).toEqual(
      instanceLayerRecipe('demo__x-1', { ...args, setup: [...args.setup] }, 'src1'),
    );
    expect(instanceLayerRecipe('demo__x-1', args, 'src1').tag).toMatch(/^hotmess\/instance:demo__x-1-[0-9a-f]{16}$/);
  });

  it('change whenever the generated Dockerfile text changes', () => {
    const a = recipeTag(ENV_REPO, 'demo/x-1.0', 'FROM hotmess/base:abc\nRUN set -eux; make');
    const b = recipeTag(ENV_REPO, 'demo/x-1.0', 'FROM hotmess/base:abc\nRUN set -eux; make ');
    expect(a.tag).not.toBe(b.tag);
    // Only the name of the copied source differs: same bytes, another COPY path in the Dockerfile.
    const renamed = instanceLayerRecipe('demo__x-1', { ...args, sourceFile: 'other.bundle' }, 'src1');
    const original = instanceLayerRecipe('demo__x-1', args, 'src1');
    expect(renamed.dockerfile).not.toBe(original.dockerfile);
    expect(renamed.tag).not.toBe(original.tag);
  });

  it('change with the bytes of the source even when the Dockerfile text does not', () => {
    const one = instanceLayerRecipe('demo__x-1', args, 'src1');
    const two = instanceLayerRecipe('demo__x-1', args, 'src2');
    expect(two.dockerfile).toBe(one.dockerfile);
    expect(two.tag).not.toBe(one.tag);
  });
});
