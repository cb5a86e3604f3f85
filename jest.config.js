/**
 * Three tiers, each runnable alone (`npm run test:unit`, `test:integration`, `test:browser`):
 * - unit: pure logic and static checks of the repository's files, no services, seconds;
 * - integration: against a real PostgreSQL and Temporal dev server that the global setup starts once;
 * - browser: the console in Debian's chromium, against the same services.
 * The services' and the product's own log lines go to files under test-artifacts/logs, printed only for a
 * test file that failed (test/support/quiet-reporter.js), so the summary stays readable.
 */
const vm = require('node:vm');

// NestJS 12 and MikroORM 7 are ES modules, which jest loads from this CommonJS project (require(esm)) only on
// Node 24.9+ and under --experimental-vm-modules. .npmrc passes the flag to npm's scripts and to npx; run
// any other way (node_modules/.bin/jest), say so rather than fail later on every spec that imports them.
const [major, minor] = process.versions.node.split('.').map(Number);
if ((major > 24 || (major === 24 && minor >= 9)) && typeof vm.SourceTextModule !== 'function') {
  process.stderr.write(
    'jest needs --experimental-vm-modules here: run it as `npx jest` or `npm test` (.npmrc passes the flag), ' +
      'or set NODE_OPTIONS=--experimental-vm-modules.\n',
  );
  process.exit(1);
}

// `--selectProjects` takes every value after it, so `jest --selectProjects integration test/a.spec.ts` would
// take the file for a project's name and run the whole tier. Say so instead of running for a quarter hour.
const select = process.argv.indexOf('--selectProjects');
if (select !== -1) {
  const values = [];
  for (const value of process.argv.slice(select + 1)) {
    if (value.startsWith('-')) break;
    values.push(value);
  }
  const files = values.filter((value) => /[./]/.test(value));
  if (files.length) {
    process.stderr.write(
      `--selectProjects took ${files.join(', ')} as project names: put test files before it, ` +
        `e.g. \`npx jest ${files.join(' ')} --runInBand --selectProjects ${values.filter((v) => !files.includes(v)).join(' ') || 'integration'}\`.\n`,
    );
    process.exit(1);
  }
}

const transform = { '^.+\\.ts$': 'ts-jest' };
const services = {
  testEnvironment: 'node',
  transform,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Every answer a test receives from the API is checked against the API's OpenAPI document.
  setupFilesAfterEnv: ['<rootDir>/test/support/check-responses.ts'],
};

module.exports = {
  // Integration tests drive real workflows; a hung one fails after 90 s instead of hanging CI. The same limit
  // holds for a file's beforeAll, which starts the file's API and worker: a minute was too little once in CI
  // on a machine running two suites at once.
  testTimeout: 90000,
  // The suite runs one file at a time in one worker process (`--maxWorkers=1`, not `--runInBand`), replaced
  // by a fresh one once its heap holds more than this after a file. Each file loads the product's modules,
  // NestJS, MikroORM and a Temporal worker anew, and not all of it is let go: the heap grew by about 70 MB a
  // file (220 MB after the first, 922 MB after ten; the in-band process was at 5 GB of memory after 30 of
  // 138 files), and garbage collection on a heap near V8's limit stalls everything in the process, the
  // files' workers included. `--runInBand` (one file while developing) ignores this.
  workerIdleMemoryLimit: process.env.OMS_TEST_WORKER_MEMORY ?? '1500MB',
  // A file whose set-up timed out goes on starting its stack in the background, and nothing closes it then
  // (its afterAll saw no stack): its connections kept jest alive after the last test until CI's time ran out.
  // Jest still names such files ("did not exit"); it no longer waits for them.
  forceExit: true,
  reporters: [
    ['default', { summaryThreshold: 0 }],
    '<rootDir>/test/support/quiet-reporter.js',
    '<rootDir>/test/support/summary-reporter.js',
  ],
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      globalSetup: '<rootDir>/test/support/unit-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      roots: [
        '<rootDir>/domain',
        '<rootDir>/workflows',
        '<rootDir>/activities',
        '<rootDir>/api',
        '<rootDir>/db',
        '<rootDir>/config',
        '<rootDir>/ops',
        '<rootDir>/scripts',
        '<rootDir>/console/test',
        '<rootDir>/test/static',
      ],
      testMatch: ['**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      ...services,
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/*.spec.ts'],
    },
    {
      displayName: 'browser',
      ...services,
      testEnvironment: '<rootDir>/test/support/browser-environment.js',
      roots: ['<rootDir>/test/browser'],
      testMatch: ['**/*.spec.ts'],
    },
  ],
};
