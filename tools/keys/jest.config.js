module.exports = { ...require('../../jest.preset.js'), displayName: 'keys', rootDir: __dirname };
