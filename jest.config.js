/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  testTimeout: 30000,
  maxWorkers: 2,
  // A worker that has run a few dozen suites holds ~0.9 GB: its heap grows 40–50 MB per suite
  // even after a forced GC (jest's per-file module graphs; creating and closing the app 12
  // times in one plain Node process leaves the heap where it was). Node takes 0.75–0.9 s to
  // tear such a process down after its 'exit' event (measured: no handle is left open, the
  // loop is empty at once), jest's default 500 ms then force-kills it and prints "a worker
  // process has failed to exit gracefully", which would hide a real leak among the warnings.
  workerGracefulExitTimeout: 5000,
};
