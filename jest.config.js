// One jest run over every project; each project's own jest.config.js sets its name and root.
module.exports = {
  projects: [
    '<rootDir>/apps/*/jest.config.js',
    '<rootDir>/libs/*/jest.config.js',
    '<rootDir>/libs/*/*/jest.config.js',
    '<rootDir>/tools/*/jest.config.js',
  ],
  globalTeardown: '<rootDir>/tools/jest/stray-processes.teardown.js',
  // No forceExit: the run ends by itself once every test has closed what it opened. A run that
  // does not end leaked a handle; `npx jest --selectProjects <project> --detectOpenHandles` names
  // it. One it cannot name is a handle Node lost while its JavaScript side was destroyed (as a
  // socket whose reset libuv refused; see resetSocket in libs/local-system): then the process
  // spins in Node's exit (FreeEnvironment → CleanupHandles, in gdb).
};
