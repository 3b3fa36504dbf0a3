module.exports = { ...require('../../jest.preset.js'), displayName: 'local-system', rootDir: __dirname };
