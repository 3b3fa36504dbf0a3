// One jest run over every project; each project's own jest.config.js sets its name and root.
module.exports = {
  projects: [
    '<rootDir>/apps/*/jest.config.js',
    '<rootDir>/libs/*/jest.config.js',
    '<rootDir>/libs/*/*/jest.config.js',
    '<rootDir>/tools/*/jest.config.js',
  ],
  globalTeardown: '<rootDir>/tools/jest/stray-processes.teardown.js',
};
