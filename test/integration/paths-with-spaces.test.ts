// Scripts find the checkout through fileURLToPath: `new URL(import.meta.url).pathname` keeps a space
// as %20, so a checkout under "My Projects" built the helper into a folder that does not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers.ts';

test('build-native.js run from a checkout whose path has spaces builds the helper there', (t) => {
  if (process.platform !== 'linux') return t.skip('the helper is Linux-only');
  try { execFileSync('cc', ['--version'], { stdio: 'ignore' }); } catch { return t.skip('no C compiler (cc) here'); }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw paths '));
  try {
    const checkout = path.join(dir, 'My Projects', 'net watch');
    for (const f of ['scripts/build-native.js', 'native/nw-sockdiag.c']) {
      fs.mkdirSync(path.dirname(path.join(checkout, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(checkout, f));
    }
    execFileSync(process.execPath, [path.join(checkout, 'scripts', 'build-native.js')], { stdio: 'pipe' });
    assert.ok(fs.existsSync(path.join(checkout, 'native', 'build', 'nw-sockdiag')), 'helper built inside the spaced checkout');
    assert.ok(!fs.existsSync(path.join(dir.replace(/ /g, '%20'))), 'nothing written under a %20 path');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
