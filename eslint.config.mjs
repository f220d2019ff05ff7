import { readdirSync } from 'node:fs';

import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import eslintReact from '@eslint-react/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * libs/testing's service harness starts what the libraries provide (bus, data source, blob store,
 * runService), and the libraries' own integration tests use libs/testing's databases and NATS
 * servers: the project graph (which counts test files) has a loop through libs/testing that no
 * library source closes, since only tests may import libs/testing (the rule below).
 */
const TESTS_CLOSE_THE_LOOP = readdirSync(new URL('libs', import.meta.url))
  .filter((library) => library !== 'testing')
  .map((library) => ['testing', library]);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', 'data/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Nest and TypeORM classes are often decorated shells; an empty class is intended there.
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-console': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          ignoredCircularDependencies: TESTS_CLOSE_THE_LOOP,
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:infra', 'type:contracts'] },
            { sourceTag: 'type:kit', onlyDependOnLibsWithTags: ['type:kit', 'type:infra', 'type:contracts'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:kit'],
            },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:kit'] },
          ],
        },
      ],
    },
  },
  {
    // Tests may use the testing library, and may import what they test freely.
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/src/test-support/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: ['@mailkeep/testing'],
          ignoredCircularDependencies: TESTS_CLOSE_THE_LOOP,
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:testing', 'type:contracts'] },
            {
              sourceTag: 'type:infra',
              onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:testing'],
            },
            {
              sourceTag: 'type:kit',
              onlyDependOnLibsWithTags: ['type:kit', 'type:infra', 'type:contracts', 'type:testing'],
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:kit', 'type:testing'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:kit', 'type:testing'],
            },
          ],
        },
      ],
      'no-console': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The web console (apps/console): browser code with its own tsconfigs, React's rules, and no
    // server library at all (its API types are generated from the OpenAPI document).
    files: ['apps/console/**/*.{ts,tsx}'],
    ...eslintReact.configs['recommended-type-checked'],
    languageOptions: {
      parserOptions: {
        project: ['./apps/console/tsconfig.json', './apps/console/tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { ...eslintReact.configs['recommended-type-checked'].plugins, 'react-hooks': reactHooks },
    rules: {
      ...eslintReact.configs['recommended-type-checked'].rules,
      ...reactHooks.configs.flat['recommended-latest'].rules,
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // The browser bundle takes no library but the profile table: plain data without
          // imports (libs/contracts/src/profiles/profile-table.ts), so the form never copies it.
          allow: ['@mailkeep/contracts/profile-table'],
          depConstraints: [{ sourceTag: 'scope:console', onlyDependOnLibsWithTags: [] }],
        },
      ],
    },
  },
  {
    // The console's dev scripts run in Node; generating the API types may start a throw-away platform.
    files: ['apps/console/scripts/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: ['@mailkeep/testing'],
          depConstraints: [{ sourceTag: 'scope:console', onlyDependOnLibsWithTags: [] }],
        },
      ],
    },
  },
  prettier,
);
