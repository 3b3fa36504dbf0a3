// One jest run over every project; each project's own jest.config.js sets its name and root.
module.exports = {
  projects: [
    '<rootDir>/apps/*/jest.config.js',
    '<rootDir>/libs/*/jest.config.js',
    '<rootDir>/libs/*/*/jest.config.js',
    '<rootDir>/tools/*/jest.config.js',
  ],
  globalTeardown: '<rootDir>/tools/jest/stray-processes.teardown.js',
  // Exit with process.exit once the run is over. Left to end by itself, the jest process (which
  // runs every test file in band on two cores and loads the native addons of swc and the Kafka
  // clients many times) was seen spinning for ever in Node's own teardown
  // (FreeEnvironment → CleanupHandles, gdb), after all tests had passed and with no open handle of
  // ours; process.exit does not run that teardown. Stray child processes are caught above.
  forceExit: true,
};
