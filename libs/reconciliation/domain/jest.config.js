module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'reconciliation-domain',
  rootDir: __dirname,
};
