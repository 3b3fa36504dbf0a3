module.exports = { ...require('../../../jest.preset.js'), displayName: 'payment-domain', rootDir: __dirname };
