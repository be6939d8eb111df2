// `dependencies` are what the app and the headless command load at run time (electron-builder packs
// them into the app); a library only the bench, the tests or the build scripts use is a devDependency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../helpers.ts';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const SHIPPED = ['bin', 'electron', 'shared', 'renderer'];

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(ts|js|svelte)$/.test(e.name) ? [p] : [];
  });
}

/** Package names a file imports (`from 'x'`, `import('x')`, `import 'x'`), subpaths folded to the package. */
function importedPackages(text: string): string[] {
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"./][^'"]*)['"]/g)].map((m) => m[1]!);
  return specs.filter((s) => !s.startsWith('node:')).map((s) => s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
}

const usedAtRunTime = new Set(SHIPPED.flatMap((d) => files(path.join(ROOT, d))).flatMap((f) => importedPackages(fs.readFileSync(f, 'utf8'))));

test('every runtime dependency is imported by shipped code (bin, electron, shared, renderer)', () => {
  const unused = Object.keys(pkg.dependencies).filter((d) => !usedAtRunTime.has(d));
  assert.deepEqual(unused, [], `only the bench, tests or scripts use ${unused.join(', ')}: make it a devDependency`);
});

test('systeminformation (the bench\'s comparison) is a devDependency that shipped code never imports', () => {
  assert.ok(pkg.devDependencies['systeminformation'] && !pkg.dependencies['systeminformation']);
  assert.equal(usedAtRunTime.has('systeminformation'), false);
  // The scan itself sees the bench's import, so the check above can fail.
  assert.ok(importedPackages(fs.readFileSync(path.join(ROOT, 'bench', 'connections.bench.ts'), 'utf8')).includes('systeminformation'));
});
