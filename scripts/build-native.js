// Builds native/nw-sockdiag (Linux only) during `npm install`. Optional: without a C compiler the
// collector uses `ss`, which is ~3x slower at 16k sockets, and this script says so instead of failing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// fileURLToPath, not new URL().pathname: the latter keeps %20 for a space (a checkout under "My Projects").
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const src = path.join(root, 'native', 'nw-sockdiag.c');
const out = path.join(root, 'native', 'build', 'nw-sockdiag');

if (process.platform !== 'linux') process.exit(0);
fs.mkdirSync(path.dirname(out), { recursive: true });
for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
  try {
    execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-o', out, src], { stdio: 'inherit' });
    console.log(`netwatch: built ${path.relative(root, out)} with ${cc}`);
    process.exit(0);
  } catch {
    /* try the next compiler */
  }
}
console.warn('netwatch: no C compiler found; sockets will be read with `ss` (slower). Install gcc and run `npm run build:native`.');
