module.exports = { ...require('../../jest.preset.js'), displayName: 'psp-accounts', rootDir: __dirname };
