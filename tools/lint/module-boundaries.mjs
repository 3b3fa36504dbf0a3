// Nx module boundaries on two axes (the README's Layout section): scope says which service a project
// belongs to, type says what kind of code it is. Apps never import apps; services never import each
// other's code; domain code stays free of frameworks.
const serviceScopes = [
  'payment',
  'executor',
  'wallet',
  'ledger',
  'reconciliation',
  'ops',
  'console',
  'psp-sim',
  'tools',
];

export const moduleBoundaries = {
  enforceBuildableLibDependency: false,
  allow: [],
  banTransitiveDependencies: false,
  // libs/testing builds on messaging; messaging's own integration tests use libs/testing.
  ignoredCircularDependencies: [['messaging', 'testing']],
  depConstraints: [
    ...serviceScopes.map((scope) => ({
      sourceTag: `scope:${scope}`,
      onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'],
    })),
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    {
      sourceTag: 'type:app',
      onlyDependOnLibsWithTags: [
        'type:feature',
        'type:domain',
        'type:data-access',
        'type:connector',
        'type:util',
      ],
    },
    {
      sourceTag: 'type:feature',
      onlyDependOnLibsWithTags: [
        'type:feature',
        'type:domain',
        'type:data-access',
        'type:connector',
        'type:util',
      ],
    },
    {
      sourceTag: 'type:data-access',
      onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util'],
    },
    { sourceTag: 'type:connector', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
    {
      sourceTag: 'type:domain',
      onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
      bannedExternalImports: ['@nestjs/*', 'typeorm', 'kafkajs', 'pg'],
    },
    { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  ],
};
