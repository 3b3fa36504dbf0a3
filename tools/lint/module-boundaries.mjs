// Nx module boundaries on two axes (the README's Layout section): scope says which service a project
// belongs to, type says what kind of code it is. Apps never import apps; services never import each
// other's code; domain code stays free of frameworks. Tooling (the libraries tagged `scope:tools`,
// `type:tooling`: local systems, traffic, test set-up) is for tools and tests only: production code
// may not import it, test files may (testModuleBoundaries).
const serviceScopes = [
  'payment',
  'executor',
  'wallet',
  'ledger',
  'reconciliation',
  'ops',
  'console',
  'psp-sim',
];

const libraryTypes = ['type:feature', 'type:domain', 'type:data-access', 'type:connector', 'type:util'];

/** The constraints, with tooling open to every project (test files) or only to tools (production code). */
function depConstraints({ toolingForAll }) {
  const scopes = (tags) => (toolingForAll ? [...tags, 'scope:tools'] : tags);
  const types = (tags) => (toolingForAll ? [...tags, 'type:tooling'] : tags);
  return [
    ...serviceScopes.map((scope) => ({
      sourceTag: `scope:${scope}`,
      onlyDependOnLibsWithTags: scopes([`scope:${scope}`, 'scope:shared']),
    })),
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: scopes(['scope:shared']) },
    { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:tools', 'scope:shared'] },
    // The scope rules above keep tooling out of services and shared libraries; tools use it.
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: [...libraryTypes, 'type:tooling'] },
    { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: [...libraryTypes, 'type:tooling'] },
    { sourceTag: 'type:feature', onlyDependOnLibsWithTags: types(libraryTypes) },
    {
      sourceTag: 'type:data-access',
      onlyDependOnLibsWithTags: types(['type:data-access', 'type:domain', 'type:util']),
    },
    { sourceTag: 'type:connector', onlyDependOnLibsWithTags: types(['type:domain', 'type:util']) },
    {
      sourceTag: 'type:domain',
      onlyDependOnLibsWithTags: types(['type:domain', 'type:util']),
      bannedExternalImports: ['@nestjs/*', 'typeorm', 'kafkajs', 'pg'],
    },
    { sourceTag: 'type:util', onlyDependOnLibsWithTags: types(['type:util']) },
  ];
}

const options = {
  enforceBuildableLibDependency: false,
  allow: [],
  banTransitiveDependencies: false,
  // libs/testing builds on messaging and platform (startServiceUnderTest); their own integration
  // tests use libs/testing.
  ignoredCircularDependencies: [
    ['messaging', 'testing'],
    ['platform', 'testing'],
  ],
};

/** The rules for production code. */
export const moduleBoundaries = { ...options, depConstraints: depConstraints({ toolingForAll: false }) };

/** Test files: the same rules, and any project's tests may use tooling. */
export const testFiles = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'];
export const testModuleBoundaries = { ...options, depConstraints: depConstraints({ toolingForAll: true }) };
