import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../sandbox/types.ts';
import { formatObservation } from './observation.ts';

const result = (over: Partial<ExecResult>): ExecResult => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  timedOut: false,
  truncated: false,
  durationMs: 5,
  ...over,
});

describe('formatObservation', () => {
  it('says how much output the sandbox dropped when it counted the total', () => {
    const capped = result({ stdout: 'a'.repeat(100), stderr: 'é'.repeat(10), truncated: true, totalBytes: 5000 });
    expect(formatObservation(capped, 10_000)).toEqual({
      text: `exit code 0\n<stdout>\n${'a'.repeat(100)}\n</stdout>\n<stderr>\n${'é'.repeat(10)}\n</stderr>\n[The sandbox kept only the first part of a very large output: 4880 of its 5000 bytes were dropped.]`,
      cutChars: 0,
    });
    // The sandbox's own note on stderr is not output of the command.
    const withNote = result({
      stdout: 'x',
      stderr: 'err\n[hotmess: command timed out after 3 s and was killed]',
      truncated: true,
      totalBytes: 104,
    });
    expect(formatObservation(withNote, 10_000).text).toContain(
      '100 of its 104 bytes were dropped.]\n[command timed out after 3 s and was killed]',
    );
    expect(formatObservation(result({ stdout: 'x', truncated: true }), 10_000).text).toMatch(
      /\[The sandbox kept only the first part of a very large output\.\]$/,
    );
  });

  it('reports how many characters the middle cut took out', () => {
    const long = formatObservation(result({ stdout: 'y'.repeat(5000) }), 1000);
    expect(long.text.length).toBeLessThan(1100);
    expect(long.cutChars).toBeGreaterThan(4000);
    expect(long.text).toContain(`[... ${long.cutChars} characters cut from the middle of this output ...]`);
    expect(long.text.length - long.text.match(/\n\[\.\.\. .*\.\.\.\]\n/)![0].length + long.cutChars).toBe(
      formatObservation(result({ stdout: 'y'.repeat(5000) }), 100_000).text.length,
    );
    expect(formatObservation(result({ stdout: 'short' }), 1000).cutChars).toBe(0);
  });
});
