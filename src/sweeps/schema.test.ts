import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { cellConfig, expandCells, sweepSeed } from './cells.ts';
import { parseSweep } from './schema.ts';

const base = { name: 'nightly', unrolls: 4, defaults: { model: 'sim' } };

describe('the sweep file', () => {
  it('names a bad field by its path', () => {
    const bad = (data: unknown) => {
      try {
        parseSweep(data, 'sweep.yaml');
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ ...base, matrix: { temperature: [0, 'hot'] } })).toMatch(/^sweep\.yaml: matrix\.temperature\[1\]: /);
    expect(bad({ ...base, limits: { max_actions: -1 } })).toMatch(/^sweep\.yaml: limits\.max_actions: /);
    expect(bad({ ...base, regression: { resolve_rate: { fall: 3 } } })).toMatch(
      /^sweep\.yaml: regression\.resolve_rate/,
    );
    expect(bad({ ...base, unrolls: 0 })).toMatch(/^sweep\.yaml: unrolls: /);
    expect(bad({ ...base, name: 'a b' })).toMatch(/^sweep\.yaml: name: must be letters/);
    expect(bad({ ...base, colour: 'red' })).toMatch(/^sweep\.yaml: \(top level\): .*colour/);
    expect(bad({ name: 'x', unrolls: 2 })).toMatch(/defaults\.model: a sweep needs a model/);
  });

  it('expands the matrix into cells named by the axes that vary', () => {
    const sweep = parseSweep(
      {
        ...base,
        defaults: { model: 'sim', sim_drift: 0.2 },
        matrix: { model: ['sim', 'sim:openai'], temperature: [0, 0.5], prompt_variant: ['p'] },
      },
      'f',
    );
    const cells = expandCells(sweep);
    expect(cells.map((c) => c.name)).toEqual([
      'model-sim_temperature-0',
      'model-sim_temperature-0.5',
      'model-sim-openai_temperature-0',
      'model-sim-openai_temperature-0.5',
    ]);
    expect(cells[3]?.settings).toEqual({ model: 'sim:openai', temperature: 0.5, prompt_variant: 'p', sim_drift: 0.2 });
    expect(expandCells(parseSweep(base, 'f')).map((c) => c.name)).toEqual(['sim']);
  });

  it('turns a cell into the run driver config, with limits in the driver units and a seed per sweep id', () => {
    const sweep = parseSweep(
      { ...base, limits: { time_limit: 60, max_actions: 9 }, defaults: { model: 'sim', sim_drift: 0.1 } },
      'f',
    );
    const [cell] = expandCells(sweep);
    const config = cellConfig(sweep, cell as NonNullable<typeof cell>, {
      instancesSource: '/x',
      instanceIds: ['a'],
      seed: 3,
      sweepFileDir: '/d',
    });
    expect(config).toMatchObject({ model: 'sim', modelOptions: { simDrift: 0.1 }, unrolls: 4, seed: 3 });
    expect(config.limits).toMatchObject({ maxWallMs: 60_000, maxActions: 9, maxMessages: 250 });
    expect(sweepSeed({}, '2026-12-03')).not.toBe(sweepSeed({}, '2026-12-04'));
    expect(sweepSeed({ seed: 5 }, '2026-12-03')).toBe(5);
  });
});
