module.exports = { ...require('../../jest.preset.js'), displayName: 'wallet', rootDir: __dirname };
