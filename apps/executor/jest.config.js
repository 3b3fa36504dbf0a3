module.exports = { ...require('../../jest.preset.js'), displayName: 'executor', rootDir: __dirname };
