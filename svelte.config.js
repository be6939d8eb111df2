// Svelte options shared by vite and svelte-check. CSS goes to a file, never inline (strict CSP).
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  compilerOptions: { css: 'external' },
};
