module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'executor-domain',
  rootDir: __dirname,
};
