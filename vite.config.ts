// Builds the Svelte renderer into dist/renderer: loaded from app:// by Electron and served by
// `netwatch serve`. Relative asset paths so both work; no inline scripts or styles (strict CSP).
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [svelte()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Inlined assets would be data: URLs in CSS/JS; keep them as files the CSP allows by 'self'.
    assetsInlineLimit: 0,
    target: 'chrome130',
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
});
