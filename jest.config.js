/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // tsconfig.json sets isolatedModules, so ts-jest transpiles each file on its own without
  // type-checking it: types are checked once, by `npm run typecheck` (tsc --noEmit).
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Jest's default is one worker less than the cores (1 on a 2-core machine); most suites wait on
  // servers, child processes and a browser, so one per core keeps both busy.
  maxWorkers: '100%',
  testSequencer: '<rootDir>/jest.sequencer.js',
  testTimeout: 30000,
};
