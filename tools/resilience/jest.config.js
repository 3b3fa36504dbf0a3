module.exports = { ...require('../../jest.preset.js'), displayName: 'resilience', rootDir: __dirname };
