// Type-aware lint. Workflow code runs in Temporal's deterministic sandbox and is replayed for audits, so
// it may not import I/O, the ORM, Nest, handlebars or Node built-ins. The domain's pure rules are imported by
// the workflows, the API and the console alike, so they may import nothing but each other.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What workflow code may not import (and, for frozen code, one pattern more). */
function workflowImports(...extra) {
  return {
    patterns: [
      ...extra,
      { group: ['node:*'], message: 'Workflow code must be deterministic: no Node built-ins.' },
      {
        group: ['@mikro-orm/*', '@nestjs/*', 'handlebars', 'pg', 'express'],
        message: 'Workflow code must not do I/O.',
      },
      {
        group: ['**/activities', '**/activities/*', '**/db/**', '**/api/**'],
        message: 'Workflows reach side effects only through activity proxies.',
        allowTypeImports: true,
      },
    ],
    paths: [
      'fs',
      'path',
      'crypto',
      'os',
      'http',
      'https',
      'net',
      'child_process',
      'worker_threads',
      'timers',
    ].map((name) => ({
      name,
      message: 'Workflow code must be deterministic: no Node built-ins.',
    })),
  };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'test-artifacts/**',
      '**/*.js',
      '*.mjs',
      'console/src/lib/api.gen.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read settings through config/config.ts.',
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.spec.ts', 'workflows/legacy/**'],
    rules: { 'no-restricted-imports': ['error', workflowImports()] },
  },
  {
    // Frozen workflow code runs only its own copies of the rules: today's may change.
    files: ['workflows/legacy/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        workflowImports({
          group: ['../*', '../../*', '../../../*'],
          message: 'Frozen code imports only types from outside its folder.',
          allowTypeImports: true,
        }),
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    ignores: ['domain/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              message: 'The domain is pure and shared with the console: it imports only its own modules.',
            },
          ],
        },
      ],
    },
  },
  {
    // Entry points and the settings reader are where the environment is read.
    files: ['config/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
