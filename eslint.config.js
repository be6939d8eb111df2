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
  // Each platform's sources stay apart: what both need (types such as Mount) lives at the seam
  // (electron/collector/sources.ts), so neither platform imports the other.
  collectorLinux: restrict('The collector runs under plain Node too: never import electron.', [
    { group: ['**/electron/main/**', '**/electron/preload/**', '**/renderer/**', '**/main/*', '**/preload/*'], message: 'The collector must not reach into the shell or the renderer.' },
    { group: ['**/darwin/*', '**/darwin/**'], message: 'Platforms stay apart: linux/ must not import darwin/ (shared types go to the seam, sources.ts).' },
  ]),
  collectorDarwin: restrict('The collector runs under plain Node too: never import electron.', [
    { group: ['**/electron/main/**', '**/electron/preload/**', '**/renderer/**', '**/main/*', '**/preload/*'], message: 'The collector must not reach into the shell or the renderer.' },
    { group: ['**/linux/*', '**/linux/**'], message: 'Platforms stay apart: darwin/ must not import linux/ (shared types go to the seam, sources.ts).' },
  ]),
  // Main and the preload are two runtimes (Node in main, a sandboxed renderer for the preload) and the
  // collector a third: what any two of them share lives in shared/.
  main: {
    'no-restricted-imports': ['error', { patterns: [
      { group: ['**/collector/**', '**/collector/*', '**/preload/**', '**/preload/*', '**/renderer/**'], message: 'Main imports the collector, preload or renderer only through shared/ (what two runtimes share belongs there).' },
    ] }],
  },
  preload: {
    'no-restricted-imports': ['error', { patterns: [
      { group: nodeBuiltins, message: 'The preload runs sandboxed: no Node modules.' },
      { group: ['**/main/**', '**/main/*', '**/collector/**', '**/collector/*', '**/renderer/**'], message: 'The preload imports only electron and shared/ (what two runtimes share belongs there).' },
    ] }],
  },
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
      'no-restricted-syntax': ['error', {
        selector: "MemberExpression[property.name='pathname'] > NewExpression.object[callee.name='URL'][arguments.0.object.type='MetaProperty']",
        message: 'Use fileURLToPath(import.meta.url) (or import.meta.dirname): new URL(import.meta.url).pathname keeps %20 for spaces.',
      }],
    },
  },
  { files: ['shared/**/*.ts'], languageOptions: { globals: {} }, rules: layering.shared },
  { files: ['electron/collector/**/*.ts'], rules: layering.collector },
  { files: ['electron/collector/linux/**/*.ts'], rules: layering.collectorLinux },
  { files: ['electron/collector/darwin/**/*.ts'], rules: layering.collectorDarwin },
  { files: ['electron/main/**/*.ts'], rules: layering.main },
  { files: ['electron/preload/**/*.ts'], rules: layering.preload },
  { files: ['renderer/**/*.ts', 'renderer/**/*.svelte'], languageOptions: { globals: { ...globals.browser } }, rules: layering.renderer },
);
