import { describe, expect, it } from 'vitest';
import type { Era, StatusMap } from '../status.ts';
import { parseLogDjango } from './django.ts';
import {
  parseLogMatplotlib,
  parseLogPytest,
  parseLogPytestOptions,
  parseLogPytestV2,
  parseLogPytestVerbose,
  parseLogSeaborn,
} from './pytest.ts';
import { getLogParser, logParsers, parserNameFor, repoParserNames } from './registry.ts';
import { parseLogSympy } from './sympy.ts';
import { pySplit, pyStrip } from './text.ts';

const v2 = { era: 'v2' as Era };
const v5 = { era: 'v5' as Era };
const entries = (map: StatusMap) => [...map];

// Lines below are excerpts of real test_output.txt files in ../shared/swebench/harness-logs/.
describe('parse_log_pytest', () => {
  const log = [
    '+ pytest -rA tests/test_utils.py',
    '=========================== short test summary info ============================',
    "PASSED astropy/table/tests/test_table.py::TestMetaTable::test_non_mapping_init[ceci n'est pas un meta]",
    'PASSED lib/matplotlib/tests/test_axes.py::test_stem[png-w/ line collection]',
    'FAILED astropy/table/tests/test_mixin.py::test_ndarray_mixin[False] - FutureW...',
    'FAILED xarray/tests/test_x.py::test_a - AssertionError: expected - got',
    'ERROR testing/test_capture.py::test_fixture - AssertionError...',
    'XFAIL xarray/tests/test_x.py::test_b',
    'SKIPPED [2] xarray/tests/test_x.py:85: requires dask',
    '  PASSED indented/lines.py::are_not_results',
    '\x1b[32mPASSED\x1b[0m coloured.py::not_matched',
    'PASSED',
  ].join('\n');

  it('maps the second token to the status and truncates ids at a space (v2)', () => {
    expect(entries(parseLogPytest(log, v2))).toEqual([
      ['astropy/table/tests/test_table.py::TestMetaTable::test_non_mapping_init[ceci', 'PASSED'],
      ['lib/matplotlib/tests/test_axes.py::test_stem[png-w/', 'PASSED'],
      ['astropy/table/tests/test_mixin.py::test_ndarray_mixin[False]', 'FAILED'],
      ['xarray/tests/test_x.py::test_a', 'FAILED'],
      ['testing/test_capture.py::test_fixture', 'ERROR'],
      ['xarray/tests/test_x.py::test_b', 'XFAIL'],
      ['[2]', 'SKIPPED'],
    ]);
  });

  it('ignores the skip-summary id in v5', () => {
    expect(parseLogPytest(log, v5).has('[2]')).toBe(false);
    expect(parseLogPytest(log, v5).size).toBe(6);
  });

  it('lets a later line overwrite the status but keep the first position', () => {
    const map = parseLogPytest('FAILED a.py::t1\nPASSED a.py::t2\nPASSED a.py::t1', v2);
    expect(entries(map)).toEqual([
      ['a.py::t1', 'PASSED'],
      ['a.py::t2', 'PASSED'],
    ]);
  });

  it('records the token after a status prefix even when it is not a status word (as the harness)', () => {
    expect(entries(parseLogPytest('PASSEDX odd.py::t', v2))).toEqual([['odd.py::t', 'PASSEDX']]);
  });
});

describe('parse_log_pytest_options', () => {
  it('shortens absolute paths in parametrisation brackets to their basename', () => {
    const log = [
      'PASSED tests/test_utils.py::TestExtractZippedPaths::test_unzipped_paths_unchanged[/]',
      'PASSED tests/test_utils.py::TestExtractZippedPaths::test_unzipped_paths_unchanged[/testbed/tests/test_utils.py]',
      'PASSED tests/test_requests.py::test_x[//double/slash]',
      'PASSED tests/test_requests.py::test_y[/glob/*.py]',
      'FAILED tests/test_self.py::TestRunTC::test_z[a[b]c] - assert 1',
      'PASSED tests/test_plain.py::test_plain',
    ].join('\n');
    expect([...parseLogPytestOptions(log, v2).keys()]).toEqual([
      'tests/test_utils.py::TestExtractZippedPaths::test_unzipped_paths_unchanged[/]',
      'tests/test_utils.py::TestExtractZippedPaths::test_unzipped_paths_unchanged[/test_utils.py]',
      'tests/test_requests.py::test_x[//double/slash]',
      'tests/test_requests.py::test_y[/glob/*.py]',
      'tests/test_self.py::TestRunTC::test_z[a[b]c]',
      'tests/test_plain.py::test_plain',
    ]);
  });
});

describe('parse_log_pytest_v2', () => {
  it('strips ANSI remnants and control characters before matching', () => {
    const log =
      '\x1b[32mPASSED\x1b[0m astropy/io/ascii/tests/test_rst.py::test_read_normal\n\x1b[31mFAILED\x1b[0m a.py::t - x\r';
    expect(entries(parseLogPytestV2(log, v2))).toEqual([
      ['astropy/io/ascii/tests/test_rst.py::test_read_normal', 'PASSED'],
      ['a.py::t', 'FAILED'],
    ]);
  });

  it('keeps multi-parameter SGR codes, which then hide the status', () => {
    expect(parseLogPytestV2('\x1b[1;31mFAILED\x1b[0m a.py::t', v2).size).toBe(0);
  });

  it('reads classic `id STATUS` lines of old astropy (token 0 -> token 1 in v2)', () => {
    const log = 'astropy/utils/tests/test_misc.py::test_isiterable PASSED\nastropy/x.py::test_p[a b] FAILED';
    expect(entries(parseLogPytestV2(log, v2))).toEqual([
      ['astropy/utils/tests/test_misc.py::test_isiterable', 'PASSED'],
      ['astropy/x.py::test_p[a', 'b]'],
    ]);
    expect(entries(parseLogPytestV2(log, v5))).toEqual([
      ['astropy/utils/tests/test_misc.py::test_isiterable', 'PASSED'],
      ['astropy/x.py::test_p[a b]', 'FAILED'],
    ]);
  });

  it('keeps ids with spaces whole and drops FAILED messages in v5', () => {
    const log = [
      "PASSED astropy/table/tests/test_table.py::TestMetaTable::test_non_mapping_init[ceci n'est pas un meta]",
      'FAILED sklearn/tests/test_a.py::test_b[x - y] - ValueError: bad - worse',
      'SKIPPED [1] sklearn/tests/test_a.py:12: no network',
    ].join('\n');
    expect(entries(parseLogPytestV2(log, v5))).toEqual([
      ["astropy/table/tests/test_table.py::TestMetaTable::test_non_mapping_init[ceci n'est pas un meta]", 'PASSED'],
      ['sklearn/tests/test_a.py::test_b[x', 'FAILED'],
    ]);
    expect(parseLogPytestV2(log, v2).get('[1]')).toBe('SKIPPED');
  });
});

describe('parse_log_matplotlib', () => {
  it('spells MouseButton members as the dataset ids do', () => {
    const log =
      'PASSED lib/matplotlib/tests/test_widgets.py::test_span_selector_drag[MouseButton.LEFT-True]\nFAILED lib/x.py::t[MouseButton.RIGHT] - e';
    expect([...parseLogMatplotlib(log, v2).keys()]).toEqual([
      'lib/matplotlib/tests/test_widgets.py::test_span_selector_drag[1-True]',
      'lib/x.py::t[3]',
    ]);
  });
});

describe('parse_log_seaborn', () => {
  it('records only PASSED and FAILED, from summary and `id PASSED` lines', () => {
    const log = [
      'tests/test_core.py::TestHueMapping::test_init PASSED [ 10%]',
      'PASSED tests/test_core.py::TestSizeMapping::test_map',
      'FAILED tests/test_core.py::TestStyleMapping::test_plot - assert',
      'SKIPPED [1] tests/test_core.py:3: no scipy',
      'XFAIL tests/test_core.py::test_x',
      'FAILED',
      'PASSED',
    ].join('\n');
    expect(entries(parseLogSeaborn(log))).toEqual([
      ['tests/test_core.py::TestHueMapping::test_init', 'PASSED'],
      ['tests/test_core.py::TestSizeMapping::test_map', 'PASSED'],
      ['tests/test_core.py::TestStyleMapping::test_plot', 'FAILED'],
    ]);
  });
});

describe('parse_log_pytest_verbose', () => {
  it('reads `id STATUS [ n%]` lines and ignores the short summary', () => {
    const log = [
      'tests/test_cognitoidp/test_cognitoidp.py::test_create_user_pool PASSED   [  0%]',
      'pandas/tests/indexing/test_datetime.py::TestDatetimeIndex::test_getitem_pyarrow_index[DataFrame] FAILED',
      'FAILED pandas/tests/indexing/test_datetime.py::TestDatetimeIndex::test_getitem_pyarrow_index[DataFrame]',
      '  indented.py::t PASSED',
    ].join('\n');
    expect(entries(parseLogPytestVerbose(log))).toEqual([
      ['tests/test_cognitoidp/test_cognitoidp.py::test_create_user_pool', 'PASSED'],
      ['pandas/tests/indexing/test_datetime.py::TestDatetimeIndex::test_getitem_pyarrow_index[DataFrame]', 'FAILED'],
    ]);
  });
});

describe('parse_log_sympy', () => {
  const log = [
    'sympy/matrices/expressions/tests/test_matexpr.py[27] ',
    'test_shape ok',
    'test_Identity F',
    'test_point E',
    'test_numpy_transl numpy not installed. s',
    'test_issue_x f',
    'test_MatrixElement_with_values ok                                         [FAIL]',
    '',
    '________________________________________________________________________________',
    '________ sympy/matrices/expressions/tests/test_matexpr.py:test_Identity ________',
    '  File "/testbed/sympy/matrices/expressions/tests/test_matexpr.py", line 90, in test_Identity',
  ].join('\n');

  it('reads verbose result lines and failure headers; skips and expected failures are not recorded', () => {
    const map = parseLogSympy(log, v5);
    expect(entries(map)).toEqual([
      ['sympy/matrices/expressions/tests/test_matexpr.py:test_Identity', 'FAILED'],
      ['test_shape', 'PASSED'],
      ['test_Identity', 'FAILED'],
      ['test_point', 'ERROR'],
    ]);
  });

  it('cuts the [OK]/[FAIL] file verdict only in the v2 era', () => {
    expect(parseLogSympy(log, v2).get('test_MatrixElement_with_values')).toBe('PASSED');
    expect(parseLogSympy(log, v5).has('test_MatrixElement_with_values')).toBe(false);
  });

  it('matches failure headers anywhere, greedily and within one line', () => {
    expect([...parseLogSympy('x a/b.py:c d.py:e f\n', v2).keys()]).toEqual(['a/b.py:c d.py:e']);
  });
});

describe('parse_log_django', () => {
  it('reads verbose unittest lines, FAIL:/ERROR: headers and skips', () => {
    const log = [
      'test_help_text (auth_tests.test_validators.UserAttributeSimilarityValidatorTest) ... ok',
      'test_validate (auth_tests.test_validators.CommonPasswordValidatorTest) ... FAIL',
      'test_boom (auth_tests.test_validators.CommonPasswordValidatorTest) ... ERROR',
      "test_fixtures_are_skipped (test_utils.tests.SkippingExtraTests) ... skipped 'Fixture loading should not be performed for skipped tests.'",
      'test_legacy (x.Tests) ...  OK',
      '======================================================================',
      'FAIL: test_query_convert_timezones (timezones.tests.NewDatabaseTests)',
      'ERROR: test_setup (x.Tests)',
    ].join('\n');
    expect(entries(parseLogDjango(log))).toEqual([
      ['test_help_text (auth_tests.test_validators.UserAttributeSimilarityValidatorTest)', 'PASSED'],
      ['test_validate (auth_tests.test_validators.CommonPasswordValidatorTest)', 'FAILED'],
      ['test_boom (auth_tests.test_validators.CommonPasswordValidatorTest)', 'ERROR'],
      ['test_fixtures_are_skipped (test_utils.tests.SkippingExtraTests)', 'SKIPPED'],
      ['test_legacy (x.Tests)', 'PASSED'],
      ['test_query_convert_timezones', 'FAILED'],
      ['test_setup', 'ERROR'],
    ]);
  });

  it('credits a bare `ok` after intervening output to the last test', () => {
    const log = ['test_print (x.Tests) ... some output', 'more output', 'ok'].join('\n');
    expect(parseLogDjango(log).get('test_print (x.Tests)')).toBe('PASSED');
  });

  it('uses the docstring line of newer Django as the id (two-line form)', () => {
    const log = [
      'test_inlineformset_factory_nulls_default_pks (model_formsets.test_uuid.InlineFormsetTests.test_inlineformset_factory_nulls_default_pks)',
      "#24377 - If we're adding a new object, a parent's auto-generated pk ... ok",
    ].join('\n');
    expect([...parseLogDjango(log)]).toEqual([
      ["#24377 - If we're adding a new object, a parent's auto-generated pk", 'PASSED'],
    ]);
  });

  it('recognises the three multi-line interruptions', () => {
    const log = [
      'test_a (x.Tests) ... Testing against Django installed in /testbed/django',
      'Importing application x',
      'System check identified no issues (0 silenced).',
      'ok',
      'test_b (x.Tests) ... Internal Server Error: /some/url/',
      'ok',
      'test_c (x.Tests) ... System check identified no issues (0 silenced)',
      'ok',
    ].join('\n');
    const map = parseLogDjango(log);
    expect(map.get('test_a (x.Tests)')).toBe('PASSED');
    expect(map.get('test_b (x.Tests)')).toBe('PASSED');
    expect(map.get('test_c (x.Tests)')).toBe('PASSED');
  });

  it('handles the django__django-7188 migration line and the --version test', () => {
    const log = [
      'Applying sites.0002_alter_domain_unique...test_no_migrations (x.Tests) ... ok',
      "test_version (admin_scripts.tests.CommandTypes) ... '--version is equivalent to version'",
    ].join('\n');
    const map = parseLogDjango(log);
    expect(map.get('test_no_migrations (x.Tests)')).toBe('PASSED');
    expect(map.get('--version is equivalent to version')).toBe('PASSED');
  });

  it('does not let \\r end a line for the multi-line patterns, as Python does not', () => {
    // The line loop credits `ok` to the last test seen with ` ... ` (other), so test_a can only come from the
    // pattern, whose `ok$` must not match before a \r.
    const log = (end: string) =>
      `test_a (x.Tests) ... Testing against Django installed in /d\nother (y) ... out\nx silenced).\nok${end}`;
    expect(parseLogDjango(log('')).get('test_a (x.Tests)')).toBe('PASSED');
    expect(parseLogDjango(log('\r')).has('test_a (x.Tests)')).toBe(false);
    expect(parseLogDjango(log('\r')).get('other (y)')).toBe('PASSED');
  });
});

describe('Python string semantics', () => {
  it('splits and strips on Python whitespace, not JavaScript whitespace', () => {
    expect(pySplit('a\x1cb\x85c\ufeffd  e')).toEqual(['a', 'b', 'c\ufeffd', 'e']);
    expect(pyStrip('\x1f \tx y\u3000')).toBe('x y');
  });
});

describe('parser registry', () => {
  it('has every parser and alias the datasets name, and a default for every SWE-bench repo', () => {
    for (const name of Object.values(repoParserNames)) expect(logParsers[name]).toBeTypeOf('function');
    expect(logParsers.parse_log_scikit).toBe(logParsers.parse_log_pytest_v2);
    expect(logParsers.parse_log_requests).toBe(logParsers.parse_log_pytest_options);
    expect(logParsers.parse_log_flask).toBe(logParsers.parse_log_pytest);
  });

  it('prefers the instance log_parser, falls back to the repo, and names unknowns', () => {
    expect(parserNameFor({ repo: 'sympy/sympy' })).toBe('parse_log_sympy');
    expect(parserNameFor({ repo: 'pocket/qs-lite', log_parser: 'parse_log_node_tap' })).toBe('parse_log_node_tap');
    expect(() => parserNameFor({ repo: 'pocket/qs-lite', instance_id: 'pocket__qs-lite-1' })).toThrow(
      /pocket__qs-lite-1 names no log_parser/,
    );
    expect(() => getLogParser('parse_log_toString')).toThrow(/Unknown log parser/);
    expect(() => getLogParser('toString')).toThrow(/Unknown log parser/);
  });
});
