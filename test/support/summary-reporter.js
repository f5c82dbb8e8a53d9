/**
 * Ends the test output with the plain line CI reads: `N passed, N failed` (`, N skipped` when any).
 * A test file that fails to load, and any unhandled error, count as failures.
 */
export default class SummaryReporter {
  onTestRunEnd(testModules, unhandledErrors = []) {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that fails to load, or whose hooks fail, is a failure even when its tests passed.
      if (testModule.errors().length) failed++;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
