import { describe, expect, it } from 'vitest';
import { touchedPaths } from './apply-patch.ts';

describe('touchedPaths (what a failed --3way may have changed)', () => {
  it('lists changed, created, deleted and renamed files of a git diff', () => {
    const patch = [
      'diff --git a/src/a.py b/src/a.py',
      'index 1111111..2222222 100644',
      '--- a/src/a.py',
      '+++ b/src/a.py',
      '@@ -1 +1 @@',
      '-x',
      '+y',
      'diff --git a/new.txt b/new.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1 @@',
      '+hello',
      'diff --git a/gone.txt b/gone.txt',
      'deleted file mode 100644',
      '--- a/gone.txt',
      '+++ /dev/null',
      'diff --git a/old name.py b/new name.py',
      'similarity index 100%',
      'rename from old name.py',
      'rename to new name.py',
      '',
    ].join('\n');
    expect(touchedPaths(patch).sort()).toEqual(['gone.txt', 'new name.py', 'new.txt', 'old name.py', 'src/a.py']);
  });

  it('reads plain unified diffs with timestamps, and never a path outside the repository', () => {
    const patch =
      '--- a/lib.py\t2024-01-01 00:00:00\n+++ b/lib.py\t2024-01-01 00:00:01\n@@ -1 +1 @@\n-a\n+b\n--- a/../etc/passwd\n+++ b//etc/shadow\n';
    expect(touchedPaths(patch)).toEqual(['lib.py']);
  });
});
