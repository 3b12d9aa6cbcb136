/**
 * Browser end-to-end suites: the built product (API + workers + web) on a fresh database, driven
 * through Chromium. globalSetup starts that product once for all suites; see support/stack.ts.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: 'e2e/.*\\.e2e\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/bench/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 1,
};
