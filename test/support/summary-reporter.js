// Prints one plain closing line ("tests: N passed, N failed, N skipped") that any CI log reader understands.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    // The global teardown (test/support/scratch.ts), which jest calls after this, keeps a failed run's data.
    // (results.success is set only after the reporters ran.)
    globalThis.omsTestRunFailed =
      numFailedTests > 0 || results.numRuntimeErrorTestSuites > 0 || results.runExecError !== undefined;
    process.stdout.write(
      `tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
