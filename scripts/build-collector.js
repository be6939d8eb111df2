// Bundles the collector (engine entry and CLI), the Electron main process and its preload into plain JavaScript
// in dist/: what the Electron utility process loads (Electron does not strip TypeScript types) and what the bench measures.
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'electron/collector/main.ts', cli: 'electron/collector/cli.ts' },
  outdir: 'dist/collector',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: true,
  // native/build/nw-sockdiag is found relative to this file at run time (see platform.ts).
  logLevel: 'warning',
});
// The Electron main process, with electron itself left to the runtime.
await build({
  entryPoints: { index: 'electron/main/index.ts' },
  outdir: 'dist/electron/main',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
});
// The preload: sandboxed preloads are CommonJS with only `electron` to require, so it is bundled alone.
await build({
  entryPoints: { index: 'electron/preload/index.ts' },
  outdir: 'dist/electron/preload',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'chrome130',
  external: ['electron'],
  logLevel: 'warning',
});
console.log('built dist/collector/{main,cli}.js, dist/electron/main/index.js and dist/electron/preload/index.cjs');
