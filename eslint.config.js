// ESLint (flat config): `npm run lint`, run by test/build/tooling.test.js in `npm test`.
// The recommended rules of ESLint and typescript-eslint; formatting is Prettier's (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'api-reference/', 'reports/', 'test/.cache/', 'test/fixtures/snippets/', 'bench/baseline/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `({ omitted, ...rest }) => rest` drops a key on purpose; a leading _ marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The library runs in the browser only, in other people's pages: it logs nothing unless asked to (debug).
    files: ['core/**', 'plugins/**'],
    languageOptions: { globals: globals.browser },
    rules: { 'no-console': 'error' },
  },
  {
    // The server path runs in other people's servers: it logs only when asked to (`debug: true` logs with
    // console.debug). The bin is a program and writes its own log lines.
    files: ['server/**'],
    ignores: ['server/bin.ts'],
    rules: { 'no-console': ['error', { allow: ['debug'] }] },
  },
  {
    // Node scripts that also hand functions to the browser (page.evaluate) or serve browser modules.
    files: ['test/**', 'support/**', 'scripts/**', 'demo/**', 'bench/**', '*.js', '*.cjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
