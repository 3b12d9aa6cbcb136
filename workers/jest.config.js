/** @type {import('jest').Config} */
module.exports = {
  rootDir: 'src',
  testEnvironment: 'node',
  testRegex: '.*\\.(spec|test)\\.ts$',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  // test against the API's sources, not a possibly stale build
  moduleNameMapper: { '^@och/api$': '<rootDir>/../../api/src/index.ts' },
  testTimeout: 30000,
};
