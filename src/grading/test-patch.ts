/** Helpers over a gold test patch (PARSERS.md §2): what to run and what to reset. */

/** get_test_directives drops paths with these endings (`csv` without a dot, as the harness has it). */
const nonTestEndings = ['.json', '.png', 'csv', '.txt', '.md', '.jpg', '.jpeg', '.pkl', '.yml', '.yaml', '.toml'];

/** Python's `diff --git a/.* b/(.*)`: greedy, so the path after the last ` b/` of the header line. */
const diffHeader = /diff --git a\/[^\n]* b\/([^\n]*)/g;
/** Python's `--- a/(.*)`, matched anywhere as the harness does. */
const oldFileHeader = /--- a\/([^\n]*)/g;

/** Every path of a `diff --git` header (its b/ side): the files a patch touches, created ones included. */
export function patchedPaths(patch: string): string[] {
  return [...patch.matchAll(diffHeader)].map((match) => match[1] ?? '');
}

/**
 * The test directives appended to the test command: the test patch's paths minus data files; for
 * django/django, module notation (`tests/auth_tests/test_x.py` -> `auth_tests.test_x`).
 */
export function testDirectives(testPatch: string, repo: string): string[] {
  const paths = patchedPaths(testPatch).filter((p) => !nonTestEndings.some((ending) => p.endsWith(ending)));
  if (repo !== 'django/django') return paths;
  return paths.map((p) => {
    const module = p.endsWith('.py') ? p.slice(0, -3) : p;
    return (module.startsWith('tests/') ? module.slice('tests/'.length) : module).replaceAll('/', '.');
  });
}

/**
 * The files reset to base_commit before and after the tests: the pre-existing files the test patch changes
 * (its `--- a/` paths); files it creates are not listed.
 */
export function testFilesToReset(testPatch: string): string[] {
  return [...testPatch.matchAll(oldFileHeader)].map((match) => match[1] ?? '');
}

/** The paths a patch creates (`new file mode` or `--- /dev/null` in a file's header): absent at base_commit. */
export function createdPaths(patch: string): string[] {
  return patch
    .split(/^(?=diff --git )/m)
    .filter(
      (section) =>
        section.startsWith('diff --git ') && /^(?:--- \/dev\/null|new file mode)/m.test(beforeFirstHunk(section)),
    )
    .flatMap((section) => patchedPaths(section.split('\n')[0] ?? ''));
}

function beforeFirstHunk(section: string): string {
  const hunk = section.indexOf('\n@@');
  return hunk < 0 ? section : section.slice(0, hunk);
}
