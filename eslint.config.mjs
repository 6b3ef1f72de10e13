// ESLint (flat config): the recommended JavaScript and typescript-eslint rules, tuned where they fight the
// codebase's deliberate style (each with its reason). `npm run lint`; .ci/run runs it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      '.build/',
      'runs/',
      'trackml-data/',
      'bench/results/',
      'gpu-build/',
      'gpu-pack/',
      'test/artifacts/',
      '.stryker-tmp/',
      'reports/',
      'dist/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  { files: ['viewer/app/**', 'web/**'], languageOptions: { globals: { ...globals.browser, ...globals.worker } } },
  {
    rules: {
      // Two statements joined by a comma (`if (a) (r = c), (g = x);`) are a deliberate style across the code (hot
      // loops, the viewer, the exporters); the rule cannot tell them from a stray expression.
      '@typescript-eslint/no-unused-expressions': 'off',
      // A variable given a value before a try whose catch keeps it is the deliberate defensive style here.
      'no-useless-assignment': 'off',
      // `_name` marks a parameter a signature needs but the body does not.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The CSV reader lists every column-kind code beside KIND_CODE, used or not, so the table reads whole.
    files: ['src/trackml/csv.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^(_|K_)', caughtErrors: 'none' }],
    },
  },
);
