/**
 * Where tests write: one folder per jest run (OMS_TEST_RUN_DIR), made by the global setup of each tier and
 * removed by the global teardown once the services are stopped, so a passing run leaves nothing in the
 * system's temp folder. Before, every run left its databases and data folders there (about 2 GB a CI run).
 * A failing run keeps the folder to read (the teardown says where), as does OMS_KEEP_TEST_DATA=1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const run = globalThis as {
  /** The folder this process made (one removed is only ever one made here, never one from outside). */
  omsTestRunDir?: string;
  /** Set by test/support/summary-reporter.js, which jest calls before the global teardown. */
  omsTestRunFailed?: boolean;
};

/** The run's folder, made once however many tiers' setups ask (they share jest's parent process). */
export function makeRunDir(): string {
  run.omsTestRunDir ??= mkdtempSync(path.join(tmpdir(), 'oms-test-'));
  // For the test files, which jest runs in processes it starts after the global setup.
  process.env.OMS_TEST_RUN_DIR = run.omsTestRunDir;
  return run.omsTestRunDir;
}

/**
 * A new folder for a test under the run's folder. A file run without the global setup (it has none in
 * the unit tier when run alone by path) gets one in the system's temp folder.
 */
export function scratchDir(prefix: string): string {
  return mkdtempSync(path.join(process.env.OMS_TEST_RUN_DIR ?? tmpdir(), prefix));
}

/** Removes the run's folder, unless the run failed or OMS_KEEP_TEST_DATA=1 asks to keep it. */
export function removeRunDir(): void {
  const dir = run.omsTestRunDir;
  if (!dir) return;
  run.omsTestRunDir = undefined;
  if (run.omsTestRunFailed || process.env.OMS_KEEP_TEST_DATA === '1') {
    process.stderr.write(`the run's databases, data folders and files are kept in ${dir}\n`);
    return;
  }
  rmSync(dir, { recursive: true, force: true });
}
