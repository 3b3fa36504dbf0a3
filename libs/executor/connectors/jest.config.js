module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'executor-connectors',
  rootDir: __dirname,
};
