/** Log markers of the SWE-bench harness (PARSERS.md §1), exact strings. */
export const markers = {
  applyPatchFail: '>>>>> Patch Apply Failed',
  applyPatchPass: '>>>>> Applied Patch',
  resetFailed: '>>>>> Reset Failed',
  testsErrored: '>>>>> Tests Errored',
  testsTimedOut: '>>>>> Tests Timed Out',
  startTestOutput: '>>>>> Start Test Output',
  endTestOutput: '>>>>> End Test Output',
  testExitCode: '>>>>> Test Exit Code',
} as const;

/** The shell variable v5 eval scripts store the test command's exit status in. */
export const exitCodeVariable = 'SWEBENCH_TEST_EXIT_CODE';
