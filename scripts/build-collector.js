// Bundles the collector (engine entry and CLI) and the Electron main process into plain JavaScript
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
console.log('built dist/collector/{main,cli}.js and dist/electron/main/index.js');
