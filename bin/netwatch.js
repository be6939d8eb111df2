#!/usr/bin/env node
// Headless NetWatch. Runs the TypeScript sources directly (Node >= 24 strips types), so no build step.
// This file is plain JavaScript any Node can run: an older Node is told which one it needs instead of
// failing to load a .ts file (ERR_UNKNOWN_FILE_EXTENSION).
import fs from 'node:fs';

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const need = Number(/\d+/.exec(pkg.engines.node)[0]);
if (Number(process.versions.node.split('.')[0]) < need) {
  console.error(`netwatch needs Node ${need} or newer (this is Node ${process.versions.node}, ${process.execPath}). `
    + `In the checkout, \`npx netwatch …\` runs it on the project's own Node ${need} (the node devDependency).`);
  process.exit(1);
}
const { main } = await import('../electron/collector/cli.ts');
main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
