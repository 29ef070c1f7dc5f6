import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', '**/jest.config.js', 'jest.preset.js', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      // The project graph is the architecture: apps only use libs, a service never reaches into
      // another service, and contracts (the public wire format) depends on no other project.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'layer:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:activity-ingestion', onlyDependOnLibsWithTags: ['scope:shared', 'scope:activity-ingestion'] },
            { sourceTag: 'scope:sprint-planning', onlyDependOnLibsWithTags: ['scope:shared', 'scope:sprint-planning'] },
            { sourceTag: 'scope:kpi-aggregation', onlyDependOnLibsWithTags: ['scope:shared', 'scope:kpi-aggregation'] },
            { sourceTag: 'scope:commission', onlyDependOnLibsWithTags: ['scope:shared', 'scope:commission'] },
            { sourceTag: 'scope:notifications', onlyDependOnLibsWithTags: ['scope:shared', 'scope:notifications'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared', 'scope:web'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': 'error',
    },
  },
  {
    // CommonJS entry points loaded by jest itself (outside the TypeScript transform).
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests may use loose typing at the edges (parsing arbitrary JSON off the wire).
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];
