import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'designer/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='eval']", message: 'never eval' }],
    },
  },
  {
    // The core stays pure: adapters depend on it, never the other way round.
    files: ['engine/core/**/*.ts', 'forms/**/*.ts', 'definitions/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['express', 'sequelize', 'pg', 'sqlite3', 'ioredis', 'bullmq', 'nodemailer', 'pino'], message: 'engine/core, forms and definitions are pure: inject adapters through ports.' },
          { group: ['**/store/**', '**/http/**', '**/queue/**'], message: 'the core must not import adapters.' },
        ],
      }],
    },
  },
);
