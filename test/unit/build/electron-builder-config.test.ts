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
