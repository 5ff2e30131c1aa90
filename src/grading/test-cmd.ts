/** MAP_REPO_VERSION_TO_SPECS test commands (PARSERS.md §2), identical in harness v2.1.7 and v4.1.0. */
const pytestRA = 'pytest -rA';
const astropyClassic = 'pytest -rA -vv -o console_output_style=classic --tb=no';
const astropyClassicVersions = new Set(['0.1', '0.2', '0.3', '0.4', '1.1', '1.2', '1.3']);

const pytestRepos = new Set([
  'matplotlib/matplotlib',
  'scikit-learn/scikit-learn',
  'pydata/xarray',
  'pytest-dev/pytest',
  'pylint-dev/pylint',
  'psf/requests',
  'pallets/flask',
  'sqlfluff/sqlfluff',
  'pyvista/pyvista',
  'pylint-dev/astroid',
  'marshmallow-code/marshmallow',
  'pvlib/pvlib-python',
  'pydicom/pydicom',
]);

/** The official test command for a SWE-bench repository and version, or undefined for a repository it lacks. */
export function defaultTestCmd(repo: string, version: string): string | undefined {
  switch (repo) {
    case 'django/django':
      return version === '1.9'
        ? './tests/runtests.py --verbosity 2'
        : './tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1';
    case 'sympy/sympy':
      return "PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose";
    case 'sphinx-doc/sphinx':
      return 'tox --current-env -epy39 -v --';
    case 'astropy/astropy':
      return astropyClassicVersions.has(version) ? astropyClassic : pytestRA;
    case 'mwaskom/seaborn':
      return 'pytest --no-header -rA';
    default:
      return pytestRepos.has(repo) ? pytestRA : undefined;
  }
}
