module.exports = { ...require('../../../jest.preset.js'), displayName: 'psp-sim-domain', rootDir: __dirname };
