module.exports = { ...require('../../jest.preset.js'), displayName: 'seeded-random', rootDir: __dirname };
