import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { goldPatch, makeSimFixture, wrongPatch } from '../../test/helpers/sim-fixture.ts';
import { loadSimSpec } from './spec-load.ts';

async function loadError(yaml: string): Promise<InputError> {
  const { instance } = await makeSimFixture(yaml);
  const err = await loadSimSpec(instance).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  const input = err as InputError;
  expect(input.file).toBe(path.join(instance.baseDir, 'spec.yaml'));
  expect(input.message).toContain(input.file);
  return input;
}

const base = (body: string): string => `instance_id: demo__calc-1\nexplore: {distribution: fixed, value: 3}\n${body}`;

describe('loadSimSpec', () => {
  it('resolves gold, patch files relative to the spec, and null', async () => {
    const { instance } = await makeSimFixture();
    const spec = await loadSimSpec(instance);
    expect(spec.candidates.map((c) => [c.name, c.patch])).toEqual([
      ['gold', goldPatch],
      ['off_by_one', wrongPatch],
      ['no_op', null],
    ]);
    expect(spec.drift).toBe(0.05);
    expect(spec.median).toBe(4);
    expect(spec.commands).toContain('cat -n calc/ops.py | head -80');
  });

  it('names the field of a schema error', async () => {
    const err = await loadError(base('candidates:\n  gold: {patch: gold, weight: heavy}\n'));
    expect(err.message).toMatch(/candidates\.gold\.weight: .*number/);
  });

  it('names a missing explore field', async () => {
    const err = await loadError(
      'instance_id: demo__calc-1\nexplore: {distribution: lognormal, median: 3}\ncandidates:\n  gold: {patch: gold, weight: 1}\n',
    );
    expect(err.message).toContain('explore.sigma');
  });

  it('refuses a fails entry that is not one of the instance tests', async () => {
    const err = await loadError(base('candidates:\n  bad: {patch: gold, weight: 1, fails: [tests/nope.py::x]}\n'));
    expect(err.message).toContain('candidates.bad.fails[0]: tests/nope.py::x is in neither');
  });

  it('names an unreadable patch file', async () => {
    const err = await loadError(base('candidates:\n  bad: {patch: missing.diff, weight: 1}\n'));
    expect(err.message).toContain('candidates.bad.patch: cannot read');
  });

  it('gives the line of a YAML syntax error', async () => {
    const err = await loadError(base('candidates:\n  gold: {patch: gold, weight: 1\n'));
    expect(err.message).toMatch(/spec\.yaml:\d+: not valid YAML/);
    expect(err.line).toBeGreaterThan(0);
  });

  it('checks instance_id, explore bounds and weights', async () => {
    expect(
      (
        await loadError(
          'instance_id: other\nexplore: {distribution: fixed, value: 1}\ncandidates:\n  g: {patch: gold, weight: 1}\n',
        )
      ).message,
    ).toContain('instance_id: is other');
    expect(
      (
        await loadError(
          'instance_id: demo__calc-1\nexplore: {distribution: uniform, min: 5, max: 2}\ncandidates:\n  g: {patch: gold, weight: 1}\n',
        )
      ).message,
    ).toContain('explore.min');
    expect((await loadError(base('candidates:\n  g: {patch: gold, weight: 0}\n'))).message).toContain(
      'every weight is 0',
    );
    expect((await loadError(base('candidates: {}\n'))).message).toContain('candidates: needs at least one candidate');
  });

  it('reports an instance without a spec', async () => {
    const { instance, dir } = await makeSimFixture();
    await writeFile(path.join(dir, 'unused'), '');
    await expect(loadSimSpec({ ...instance, sim: undefined })).rejects.toThrow(/has no `sim` spec/);
  });
});
