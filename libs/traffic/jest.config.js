module.exports = { ...require('../../jest.preset.js'), displayName: 'traffic', rootDir: __dirname };
