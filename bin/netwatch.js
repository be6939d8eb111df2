#!/usr/bin/env node
// Headless NetWatch. Runs the TypeScript sources directly (Node >= 24 strips types), so no build step.
import { main } from '../electron/collector/cli.ts';

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
