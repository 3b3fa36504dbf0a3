// Shared jest settings for every project: swc for speed (it keeps decorator metadata, which
// NestJS needs), the tsconfig path aliases, and the three test tiers by file suffix.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias}$`,
    path.join(__dirname, target),
  ]),
);

module.exports = {
  testEnvironment: 'node',
  // Refuses to run on any Node but the one package.json's engines name (see the file).
  globalSetup: path.join(__dirname, 'tools/jest/node-runtime.js'),
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        // The root .swcrc excludes spec files from the build; tests carry their own settings.
        swcrc: false,
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
    // @platformatic/kafka and its own packages are ESM-only; jest's registry loads ESM only under
    // Node's experimental --experimental-vm-modules (on Node 24.22 as before), so they are compiled
    // to CommonJS (import.meta.url becomes a file URL of __filename).
    '/node_modules/@platformatic/.+\\.js$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@platformatic/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/__fixtures__/'],
};
