import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupPatches, normalisePatch } from './patch-groups.ts';

const diff = (file: string, index: string, at: string, line: string) =>
  `diff --git a/${file} b/${file}\nindex ${index}..1234567 100644\n--- a/${file}\n+++ b/${file}\n${at}\n def f():\n-    return 1\n+    ${line}\n`;

describe('normalisePatch', () => {
  it('ignores index lines, hunk positions, trailing blanks and the order of files', () => {
    const a =
      diff('x.py', 'aaaaaaa', '@@ -1,2 +1,2 @@ def f', 'return 2') + diff('a.py', 'bbbbbbb', '@@ -3 +3 @@', 'return 3');
    const b =
      diff('a.py', 'ccccccc', '@@ -9 +9 @@', 'return 3  ') + diff('x.py', 'ddddddd', '@@ -5,2 +5,2 @@', 'return 2');
    expect(normalisePatch(a)).toBe(normalisePatch(b));
    expect(normalisePatch(a)).not.toBe(normalisePatch(diff('x.py', 'aaaaaaa', '@@ -1 +1 @@', 'return 4')));
    expect(normalisePatch('')).toBe('');
    expect(normalisePatch('\n\n')).toBe('');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('x.py', 'y.py'), { maxLength: 3 }),
        fc.array(fc.string(), { maxLength: 3 }),
        (files, lines) => {
          const patch = files.map((f, i) => diff(f, '0000000', `@@ -${i} +${i} @@`, lines[i] ?? '')).join('');
          expect(normalisePatch(normalisePatch(patch))).toBe(normalisePatch(patch));
        },
      ),
    );
  });
});

describe('groupPatches', () => {
  it('partitions the unrolls: every unroll in exactly one group, largest group first, the empty patch labelled -', () => {
    const candidates = [
      '',
      diff('x.py', '1111111', '@@ -1 +1 @@', 'return 2'),
      diff('x.py', '2222222', '@@ -1 +1 @@', 'return 3'),
    ];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 40 }), (picks) => {
        const groups = groupPatches(picks.map((p, unroll) => ({ unroll, patch: candidates[p] as string })));
        const all = groups.flatMap((g) => g.unrolls).sort((a, b) => a - b);
        expect(all).toEqual(picks.map((_, i) => i));
        expect(groups.length).toBe(new Set(picks).size);
        for (let i = 1; i < groups.length; i++)
          expect((groups[i - 1]?.unrolls.length ?? 0) >= (groups[i]?.unrolls.length ?? 0)).toBe(true);
        for (const g of groups) expect(g.label === '-').toBe(g.normalised === '');
        for (const g of groups)
          for (const u of g.unrolls)
            expect(normalisePatch(candidates[picks[u] as number] as string)).toBe(g.normalised);
      }),
    );
  });

  it('labels patches A, B, … and counts the changed lines', () => {
    const groups = groupPatches([
      { unroll: 0, patch: diff('x.py', '1111111', '@@ -1 +1 @@', 'return 2') },
      { unroll: 1, patch: diff('x.py', '3333333', '@@ -7 +7 @@', 'return 2') },
      { unroll: 2, patch: '' },
    ]);
    expect(groups.map((g) => [g.label, g.unrolls, g.files, g.added, g.removed])).toEqual([
      ['A', [0, 1], ['x.py'], 1, 1],
      ['-', [2], [], 0, 0],
    ]);
  });
});
