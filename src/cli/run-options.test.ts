import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { UsageError } from '../errors.ts';
import { parseModelOptions, parseModelSpec } from '../models/spec.ts';
import {
  limitOptions,
  limitsFrom,
  modelOptions,
  modelOptionsFrom,
  selectInstances,
  type LimitArgs,
  type ModelArgs,
} from './run-options.ts';

/** The model flags as `run` and `run-one` parse them (strict: an unknown flag fails), then the recorded options. */
async function recorded(...argv: string[]) {
  const args = await modelOptions(yargs(argv))
    .strict()
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .parseAsync();
  return { model: args.model, options: await modelOptionsFrom(args as ModelArgs) };
}

describe('--no-prompt-cache', () => {
  it('records promptCache: false, and nothing when caching stays on by default', async () => {
    expect((await recorded('--no-prompt-cache')).options).toEqual({ promptCache: false });
    expect((await recorded('--prompt-cache=false', '--temperature', '0.5')).options).toEqual({
      promptCache: false,
      temperature: 0.5,
    });
    expect((await recorded()).options).toEqual({});
    expect((await recorded('--prompt-cache')).options).toEqual({});
  });

  it('is refused for a model without cache breakpoints', async () => {
    const { model, options } = await recorded('--model', 'openai:gpt-4o', '--no-prompt-cache');
    expect(() => parseModelOptions(parseModelSpec(model), options)).toThrow(
      'Model option promptCache: only Anthropic models take cache breakpoints',
    );
    expect(parseModelOptions(parseModelSpec('anthropic:claude-sonnet-4-5'), options).promptCache).toBe(false);
  });
});

describe('the limit flags', () => {
  const limits = async (...argv: string[]) =>
    limitsFrom(
      (await limitOptions(yargs(argv))
        .strict()
        .fail((msg, err) => {
          throw err ?? new UsageError(msg);
        })
        .parseAsync()) as unknown as LimitArgs,
    );

  it('set the observation cut and the format-error stop, with the defaults of the agent loop', async () => {
    expect(await limits()).toMatchObject({
      maxObservationChars: 10_000,
      maxFormatErrors: 3,
      maxMessages: 250,
      maxWallMs: 3_600_000,
    });
    expect(await limits('--max-observation-chars', '2000', '--max-format-errors', '5')).toMatchObject({
      maxObservationChars: 2000,
      maxFormatErrors: 5,
    });
  });

  it('refuse values the loop cannot use, in one sentence', async () => {
    await expect(limits('--max-observation-chars', '0')).rejects.toThrow(
      '--max-observation-chars must be a whole number of at least 1.',
    );
    await expect(limits('--max-format-errors', '1.5')).rejects.toThrow(
      '--max-format-errors must be a whole number of at least 1.',
    );
  });
});

describe('selecting instances', () => {
  it('says a file holds no valid instance, after naming each bad record', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hotmess-select-'));
    try {
      const file = path.join(dir, 'bad.jsonl');
      await writeFile(file, '{"instance_id": "x"\n');
      const warnings: string[] = [];
      await expect(selectInstances({ instances: file, strict: false }, (l) => warnings.push(l))).rejects.toThrow(
        `${file} holds no valid instance (1 bad record(s), listed above).`,
      );
      expect(warnings).toEqual([expect.stringMatching(new RegExp(`^skipped a record: ${file}:1: invalid JSON`))]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
