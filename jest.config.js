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
  // A worker that has run many suites holds a large V8 heap (nearly 1 GB RSS measured at the end of a
  // full run), and tearing that down at exit outlasted the 500 ms Jest gives a worker to exit, so Jest
  // force-exited it and printed "failed to exit gracefully" with nothing left open. A worker past this
  // much memory after a suite is replaced by a fresh one (https://jestjs.io/docs/configuration#workeridlememorylimit-numberstring).
  workerIdleMemoryLimit: '250MB',
  testSequencer: '<rootDir>/jest.sequencer.js',
  testTimeout: 30000,
};
