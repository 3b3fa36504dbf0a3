module.exports = { ...require('../../jest.preset.js'), displayName: 'operator-auth', rootDir: __dirname };
