// electron-builder.yml checked by electron-builder's own validator (app-builder-lib's schema), so a
// typo fails here rather than on a packaging machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { load as loadYaml } from 'js-yaml';
import { ROOT } from '../../helpers.ts';

const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(k: string, v: unknown): void }): Promise<void>;
};
const logger = { isEnabled: false, add() {} };
const config = loadYaml(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

test('electron-builder.yml validates against electron-builder\'s configuration schema', async () => {
  await validateConfiguration(config, logger);
  const mac = config['mac'] as { extendInfo: Record<string, unknown> };
  assert.equal(mac.extendInfo['LSUIElement'], true, 'no dock icon in the packaged app');
  assert.equal((config['electronFuses'] as Record<string, unknown>)['runAsNode'], false);
  assert.equal((config['linux'] as Record<string, unknown>)['category'], 'Network');
});

test('the validator really rejects a wrong configuration', async () => {
  await assert.rejects(validateConfiguration({ ...config, linux: { ...(config['linux'] as object), categroy: 'Network' } }, logger), /configuration\.linux/);
  await assert.rejects(validateConfiguration({ ...config, electronFuses: { runAsNode: 'no' } }, logger));
});

test('fuses: file:// gets no extra privileges, asar integrity is checked, unsigned Apple-silicon builds are re-signed ad hoc', () => {
  const fuses = config['electronFuses'] as Record<string, unknown>;
  assert.equal(fuses['grantFileProtocolExtraPrivileges'], false);
  assert.equal(fuses['enableEmbeddedAsarIntegrityValidation'], true);
  assert.equal(fuses['resetAdHocDarwinSignature'], true);
  assert.equal(fuses['onlyLoadAppFromAsar'], true);
  assert.equal(fuses['enableNodeOptionsEnvironmentVariable'], false);
});

test('the deb target has what fpm requires: a homepage and an author with an email', () => {
  // app-builder-lib's FpmTarget.computeFpmMetaInfoOptions refuses to build without these
  // ("Please specify project homepage", errorMessages.authorEmailIsMissed).
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { homepage?: string; author?: { name?: string; email?: string } };
  assert.ok(pkg.homepage && new URL(pkg.homepage).protocol === 'https:', 'homepage');
  assert.ok(pkg.author?.name, 'author.name');
  assert.match(pkg.author?.email ?? '', /^[^@\s]+@[^@\s]+\.[a-z]+$/, 'author.email');
  // The Linux tray icon ships with the app.
  assert.ok((config['files'] as string[]).includes('build/trayLinux*.png'));
  for (const f of ['trayLinux.png', 'trayLinux@2x.png', 'trayTemplate.png']) assert.ok(fs.existsSync(path.join(ROOT, 'build', f)), f);
});

test('deb: nw-capture ships, gets CAP_NET_RAW after install, and electron-builder\'s own after-install and depends are kept', () => {
  const extra = config['extraResources'] as Array<{ from: string; to: string }>;
  assert.ok(extra.some((e) => e.from === 'native/build/nw-capture' && e.to === 'nw-capture'));
  const deb = config['deb'] as { afterInstall: string; depends: string[] };
  const ours = fs.readFileSync(path.join(ROOT, deb.afterInstall), 'utf8');
  const theirs = fs.readFileSync(require.resolve('app-builder-lib/templates/linux/after-install.tpl'), 'utf8');
  assert.ok(ours.startsWith(theirs), 'the default after-install script comes first, unchanged');
  assert.match(ours.slice(theirs.length), /setcap cap_net_raw,cap_net_admin\+eip '\/opt\/\$\{sanitizedProductName\}\/resources\/nw-capture'/);
  const { default: FpmTarget } = require('app-builder-lib/out/targets/FpmTarget.js') as { default: { prototype: { getDefaultDepends(t: string): string[] } } };
  for (const d of FpmTarget.prototype.getDefaultDepends.call(null, 'deb')) assert.ok(deb.depends.includes(d), `default depend ${d} kept`);
  assert.ok(deb.depends.some((d) => /\blibpcap0\.8\b/.test(d)) && deb.depends.includes('libcap2-bin'));
});
