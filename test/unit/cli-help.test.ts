import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { commands } from '../../src/cli/commands/index.ts';
import { syntheticRun } from './report-fixture.ts';

const names = commands.map((c) => String(c.command).split(' ')[0] as string);
const invocations = [
  ...names.filter((n) => n !== 'images').map((n) => [n]),
  ['images', 'build'],
  ['images', 'pull'],
  ['images', 'ls'],
  ['images', 'prune'],
];

describe('--help', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('is offered by every command, with a description of each option', async () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'run',
        'run-one',
        'doctor',
        'images',
        'exec',
        'reap',
        'grade',
        'sim-server',
        'import',
        'stats',
        'validate',
        'report',
        'compare',
      ]),
    );
    for (const argv of invocations) {
      const printed: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
      expect(await main([...argv, '--help']), argv.join(' ')).toBe(0);
      const text = printed.join('\n');
      expect(text, argv.join(' ')).toContain(`hotmess ${argv.join(' ')}`);
      expect(text, argv.join(' ')).toMatch(/--help\s+Show help/);
      vi.restoreAllMocks();
    }
  });

  it('answers an unknown command with one usage line and exit code 2', async () => {
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation(
      (chunk: string | Uint8Array) => errors.push(String(chunk)) > 0,
    );
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['frobnicate'])).toBe(2);
    expect(errors.join('')).toMatch(/^hotmess: Unknown argument: frobnicate/);
  });
});

describe('flags', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('take the last value of a scalar flag given twice', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'hotmess-flags-'));
    try {
      const run = await syntheticRun(root, 'flags', { tasks: 12, unrolls: 4, tests: 3, seed: 3 });
      const printed: string[] = [];
      vi.spyOn(process.stdout, 'write').mockImplementation(
        (chunk: string | Uint8Array) => printed.push(String(chunk)) > 0,
      );
      expect(await main(['stats', run.dir, '--json', '--bootstrap', '0', '--buckets', '3', '--buckets', '2'])).toBe(0);
      const stats = JSON.parse(printed.join('')) as { buckets: { actions: { buckets: unknown[] } } };
      expect(stats.buckets.actions.buckets).toHaveLength(2);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
