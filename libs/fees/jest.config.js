module.exports = { ...require('../../jest.preset.js'), displayName: 'fees', rootDir: __dirname };
