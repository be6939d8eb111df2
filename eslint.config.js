// Lint, including the layering rule: shared/ imports nothing of Node, Electron or the DOM; the collector
// never imports electron; the renderer sees only shared/. (VS Code's code-layering, in ESLint.)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import svelteConfig from './svelte.config.js';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:*'];
const restrict = (electronMessage, patterns) => ({
  'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: electronMessage }], patterns }],
});

export const layering = {
  shared: restrict('shared/ must not import electron.', [
    { group: nodeBuiltins, message: 'shared/ is plain data and pure functions: no Node modules.' },
    { group: ['**/electron/**', '**/renderer/**', '../*', '!../contract/*', '!./*'], message: 'shared/ imports only shared/.' },
  ]),
  collector: restrict('The collector runs under plain Node too: never import electron.', [
    { group: ['**/electron/main/**', '**/electron/preload/**', '**/renderer/**', '**/main/*', '**/preload/*'], message: 'The collector must not reach into the shell or the renderer.' },
  ]),
  renderer: restrict('The renderer reaches Electron only through the preload bridge.', [
    { group: nodeBuiltins, message: 'The renderer runs sandboxed: no Node modules.' },
    { group: ['**/electron/**'], message: 'The renderer imports only shared/ (and its own files).' },
  ]),
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'native/build/**', 'screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    files: ['renderer/**/*.svelte', 'renderer/**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: false, extraFileExtensions: ['.svelte'], parser: tseslint.parser, svelteConfig } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['shared/**/*.ts'], languageOptions: { globals: {} }, rules: layering.shared },
  { files: ['electron/collector/**/*.ts'], rules: layering.collector },
  { files: ['renderer/**/*.ts', 'renderer/**/*.svelte'], languageOptions: { globals: { ...globals.browser } }, rules: layering.renderer },
);
