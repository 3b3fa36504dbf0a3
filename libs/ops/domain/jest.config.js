module.exports = { ...require('../../../jest.preset.js'), displayName: 'ops-domain', rootDir: __dirname };
