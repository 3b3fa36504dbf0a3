module.exports = { ...require('../../jest.preset.js'), displayName: 'psp-sim', rootDir: __dirname };
