// The service logs of a test file (test/support/test-logs.ts) are printed only when that file failed, so a
// green run shows jest's summary and nothing else, and a red one shows what the services said around it.
const { existsSync, readFileSync, rmSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const LOG_DIR = path.join(ROOT, 'test-artifacts', 'logs');
/** The last lines of a failing file's log that are printed (the whole file stays on disk). */
const TAIL_LINES = 200;

const logFileOf = (testPath) => path.join(LOG_DIR, `${path.relative(ROOT, testPath)}.log`);

class QuietReporter {
  onTestFileStart(test) {
    // A log left by an earlier run would be mistaken for this run's.
    rmSync(logFileOf(test.path), { force: true });
  }

  onTestFileResult(test, result) {
    const failed = result.numFailingTests > 0 || result.testExecError;
    const file = logFileOf(test.path);
    if (!failed || !existsSync(file)) return;
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const shown = lines.slice(-TAIL_LINES);
    process.stderr.write(
      `\n---- service logs of ${path.relative(ROOT, test.path)} (last ${shown.length} of ${lines.length} lines; ` +
        `all in ${path.relative(ROOT, file)}) ----\n${shown.join('\n')}\n---- end of service logs ----\n`,
    );
  }
}
module.exports = QuietReporter;
