// Why a newcomer's `npm install` may keep its engine warnings off (.npmrc): npm checks each package's
// `engines` against the Node running npm, while every script, and so every package's code, runs on the
// node@24 devDependency. These tests keep that claim, and the list in .npmrc, true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { ROOT } from '../../helpers.ts';

interface LockEntry { version?: string; dev?: boolean; hasInstallScript?: boolean; engines?: { node?: string } }
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; devEngines: { runtime: { name: string; version: string } } };
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const npmrc = fs.readFileSync(path.join(ROOT, '.npmrc'), 'utf8');
const packages = Object.entries(lock.packages).filter(([k]) => k !== '');
const satisfies = (v: string, range: string) => semver.satisfies(v, range, { includePrerelease: true });

test('the node devDependency that runs every script satisfies every package\'s engines, and the project\'s own', () => {
  const node = lock.packages['node_modules/node']!.version!;
  assert.ok(satisfies(node, pkg.engines.node), `node@${node} vs engines ${pkg.engines.node}`);
  const unmet = packages.filter(([, e]) => e.engines?.node && !satisfies(node, e.engines.node)).map(([k, e]) => `${k} ${e.engines!.node}`);
  assert.deepEqual(unmet, []);
});

test('on any Node devEngines admits for running npm, a package wanting a newer one is dev tooling without an install script', () => {
  assert.equal(pkg.devEngines.runtime.name, 'node');
  const range = pkg.devEngines.runtime.version;
  // The oldest release of each line npm 11 runs on, and the lines where the tools' floors sit.
  const nodes = ['20.17.0', '20.19.0', '22.9.0', '22.12.0', '23.0.0', '24.0.0'];
  assert.ok(nodes.every((v) => satisfies(v, range)) && !satisfies('18.20.0', range), range);
  let warned = 0;
  for (const node of nodes) {
    for (const [key, e] of packages.filter(([, x]) => x.engines?.node && !satisfies(node, x.engines.node))) {
      warned++;
      assert.equal(e.dev, true, `${key} (${e.engines!.node}) is installed for users too`);
      assert.notEqual(e.hasInstallScript, true, `${key} runs an install script, on the system Node ${node}`);
    }
  }
  assert.ok(warned > 0, 'every engines field is met: .npmrc\'s loglevel is not needed any more');
  assert.match(npmrc, /^loglevel=error$/m);
  for (const n of ['electron', '@electron/get', '@electron/rebuild', '@electron-internal/extract-zip', 'node-abi']) {
    assert.ok(npmrc.includes(n) && !satisfies('20.20.0', lock.packages[`node_modules/${n}`]!.engines!.node!), `${n} as .npmrc says`);
  }
});
