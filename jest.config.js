/** Unit tests run anywhere in seconds; integration tests start a real PostgreSQL and Temporal dev server. */
const transform = { '^.+\\.ts$': 'ts-jest' };

module.exports = {
  // Integration tests drive real workflows; a hung one fails after a minute instead of hanging CI.
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      roots: [
        '<rootDir>/workflows',
        '<rootDir>/activities',
        '<rootDir>/api',
        '<rootDir>/db',
        '<rootDir>/config',
        '<rootDir>/ops',
        '<rootDir>/scripts',
        '<rootDir>/console/test',
      ],
      testMatch: ['**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      // Every answer a test receives from the API is checked against the API's OpenAPI document.
      setupFilesAfterEnv: ['<rootDir>/test/support/check-responses.ts'],
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
