import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** The folders that hold pure domain code (checked by the layering rule below and by tools/ci/layering.spec.ts). */
export const LAYERED_FOLDERS = ['**/domain/**/*.ts', '**/calculation/**/*.ts'];
const LAYERING_MESSAGE =
  'domain/ and calculation/ stay pure: no Nest, TypeORM, pg, kafkajs or infrastructure libs (move the I/O to a service or adapter; see docs/testing.md).';

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.nx/**',
      '**/jest.config.js',
      'jest.preset.js',
      '.cache/**',
    ],
  },
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
            {
              sourceTag: 'scope:activity-ingestion',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:activity-ingestion'],
            },
            {
              sourceTag: 'scope:sprint-planning',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:sprint-planning'],
            },
            {
              sourceTag: 'scope:kpi-aggregation',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:kpi-aggregation'],
            },
            { sourceTag: 'scope:commission', onlyDependOnLibsWithTags: ['scope:shared', 'scope:commission'] },
            {
              sourceTag: 'scope:notifications',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:notifications'],
            },
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
    // Layering: a domain model or a calculation is pure (values in, values out), so it can be unit
    // tested without infrastructure and reused by any adapter. Nest, TypeORM, pg, kafkajs and the libs
    // that wrap them (platform, messaging, event-store) belong in the services and adapters around it.
    // `@pacer/event-store/aggregate` is the pure aggregate helper and stays allowed.
    files: LAYERED_FOLDERS,
    ignores: ['**/*.integration-spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            'typeorm',
            'kafkajs',
            'pg',
            '@pacer/platform',
            '@pacer/messaging',
            '@pacer/event-store',
          ].map((name) => ({
            name,
            message: LAYERING_MESSAGE,
          })),
          patterns: [
            {
              group: [
                '@nestjs/*',
                'typeorm/*',
                'kafkajs/*',
                'pg/*',
                '@pacer/platform/*',
                '@pacer/messaging/*',
                '@pacer/event-store/*',
                '!@pacer/event-store/aggregate',
              ],
              message: LAYERING_MESSAGE,
            },
          ],
        },
      ],
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
