module.exports = { ...require('../../jest.preset.js'), displayName: 'drill', rootDir: __dirname };
