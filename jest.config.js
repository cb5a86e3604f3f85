/**
 * Three tiers, each runnable alone (`npm run test:unit`, `test:integration`, `test:browser`):
 * - unit: pure logic and static checks of the repository's files, no services, seconds;
 * - integration: against a real PostgreSQL and Temporal dev server that the global setup starts once;
 * - browser: the console in Debian's chromium, against the same services.
 * The services' and the product's own log lines go to files under test-artifacts/logs, printed only for a
 * test file that failed (test/support/quiet-reporter.js), so the summary stays readable.
 */
const transform = { '^.+\\.ts$': 'ts-jest' };
const services = {
  testEnvironment: 'node',
  transform,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = {
  // Integration tests drive real workflows; a hung one fails after a minute instead of hanging CI.
  testTimeout: 60000,
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
      roots: ['<rootDir>/test/browser'],
      testMatch: ['**/*.spec.ts'],
    },
  ],
};
