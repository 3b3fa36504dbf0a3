import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { moduleBoundaries, testFiles, testModuleBoundaries } from './tools/lint/module-boundaries.mjs';

export default tseslint.config(
  { ignores: ['**/dist', '**/node_modules', '.keel/**', '.nx/**', 'coverage/**', '**/__fixtures__/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        {
          property: 'resetAndDestroy',
          message:
            'Use resetSocket (@keel/local-system): resetAndDestroy() on a socket still ending leaves its handle open, and Node never exits.',
        },
      ],
    },
  },
  {
    files: ['libs/local-system/src/reset-socket.util.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: testFiles,
    rules: { '@nx/enforce-module-boundaries': ['error', testModuleBoundaries] },
  },
  {
    files: ['tools/**/*.ts', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
