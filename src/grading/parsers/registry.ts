import { InputError } from '../../errors.ts';
import type { LogParser } from '../status.ts';
import { parseLogDjango } from './django.ts';
import { parseLogNodeTap } from './node-tap.ts';
import {
  parseLogMatplotlib,
  parseLogPytest,
  parseLogPytestOptions,
  parseLogPytestV2,
  parseLogPytestVerbose,
  parseLogSeaborn,
} from './pytest.ts';
import { parseLogSympy } from './sympy.ts';

/**
 * Every parser by the harness's name, aliases included (PARSERS.md §3), plus hotmess's parse_log_node_tap and
 * SWE-smith's verbose-pytest parser.
 */
export const logParsers: Readonly<Record<string, LogParser>> = {
  parse_log_pytest: parseLogPytest,
  parse_log_pytest_options: parseLogPytestOptions,
  parse_log_pytest_v2: parseLogPytestV2,
  parse_log_matplotlib: parseLogMatplotlib,
  parse_log_seaborn: parseLogSeaborn,
  parse_log_sympy: parseLogSympy,
  parse_log_django: parseLogDjango,
  parse_log_node_tap: parseLogNodeTap,
  parse_log_pytest_verbose: parseLogPytestVerbose,
  parse_log_astroid: parseLogPytest,
  parse_log_flask: parseLogPytest,
  parse_log_marshmallow: parseLogPytest,
  parse_log_pvlib: parseLogPytest,
  parse_log_pyvista: parseLogPytest,
  parse_log_sqlfluff: parseLogPytest,
  parse_log_xarray: parseLogPytest,
  parse_log_pydicom: parseLogPytestOptions,
  parse_log_requests: parseLogPytestOptions,
  parse_log_pylint: parseLogPytestOptions,
  parse_log_astropy: parseLogPytestV2,
  parse_log_scikit: parseLogPytestV2,
  parse_log_sphinx: parseLogPytestV2,
};

/** MAP_REPO_TO_PARSER: the default parser name for each SWE-bench repository. */
export const repoParserNames: Readonly<Record<string, string>> = {
  'django/django': 'parse_log_django',
  'sympy/sympy': 'parse_log_sympy',
  'mwaskom/seaborn': 'parse_log_seaborn',
  'matplotlib/matplotlib': 'parse_log_matplotlib',
  'astropy/astropy': 'parse_log_astropy',
  'scikit-learn/scikit-learn': 'parse_log_scikit',
  'sphinx-doc/sphinx': 'parse_log_sphinx',
  'psf/requests': 'parse_log_requests',
  'pylint-dev/pylint': 'parse_log_pylint',
  'pydicom/pydicom': 'parse_log_pydicom',
  'pytest-dev/pytest': 'parse_log_pytest',
  'pydata/xarray': 'parse_log_xarray',
  'pallets/flask': 'parse_log_flask',
  'pylint-dev/astroid': 'parse_log_astroid',
  'marshmallow-code/marshmallow': 'parse_log_marshmallow',
  'pvlib/pvlib-python': 'parse_log_pvlib',
  'pyvista/pyvista': 'parse_log_pyvista',
  'sqlfluff/sqlfluff': 'parse_log_sqlfluff',
};

export function getLogParser(name: string): LogParser {
  const parser = Object.hasOwn(logParsers, name) ? logParsers[name] : undefined;
  if (!parser) throw new InputError(`Unknown log parser ${name} (known: ${Object.keys(logParsers).join(', ')}).`);
  return parser;
}

/**
 * The parser name for an instance: its own `log_parser` if set (v5 datasets and hotmess tasks carry one), else
 * the repository's default.
 */
export function parserNameFor(instance: {
  readonly repo: string;
  readonly log_parser?: string | undefined;
  readonly instance_id?: string;
}): string {
  if (instance.log_parser) return instance.log_parser;
  const name = Object.hasOwn(repoParserNames, instance.repo) ? repoParserNames[instance.repo] : undefined;
  if (!name) {
    const which = instance.instance_id ? `Instance ${instance.instance_id}` : `Repository ${instance.repo}`;
    throw new InputError(`${which} names no log_parser and ${instance.repo} has no default parser.`);
  }
  return name;
}
