import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings, saveSettings } from '../../../electron/main/settings-store.ts';
import { defaultSettings, engineConfigOf, mergeConfig, defaultConfig } from '../../../shared/index.ts';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nw-settings-'));

test('missing file: defaults, no notice; save then load round-trips', () => {
  const file = path.join(dir(), 'settings.json');
  assert.deepEqual(loadSettings(file), { settings: defaultSettings(), notice: null });
  const s = { ...defaultSettings(), units: 'bits' as const, accountPorts: [443, 22] };
  saveSettings(file, s);
  assert.deepEqual(loadSettings(file), { settings: s, notice: null });
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['settings.json'], 'no temp file left behind');
});

test('corrupt JSON: defaults, a notice, and the old file kept aside', () => {
  const d = dir();
  const file = path.join(d, 'settings.json');
  fs.writeFileSync(file, '{"units": "bits", ');
  const r = loadSettings(file, 1234);
  assert.deepEqual(r.settings, defaultSettings());
  assert.match(r.notice!, /not valid JSON.*kept as settings\.corrupt-1234\.json/);
  assert.equal(fs.readFileSync(path.join(d, 'settings.corrupt-1234.json'), 'utf8'), '{"units": "bits", ');
  assert.ok(!fs.existsSync(file));
});

test('invalid values: refused whole with the fields named; older files gain new fields', () => {
  const d = dir();
  const file = path.join(d, 'settings.json');
  fs.writeFileSync(file, JSON.stringify({ ...defaultSettings(), samplingIntervalMs: 5, accountPorts: [70000] }));
  const r = loadSettings(file, 7);
  assert.match(r.notice!, /invalid values \(samplingIntervalMs, accountPorts\.0\)/);
  const old = { ...defaultSettings() } as Record<string, unknown>;
  delete old['launchAtLogin'];
  old['units'] = 'bits';
  fs.writeFileSync(file, JSON.stringify(old));
  assert.deepEqual(loadSettings(file), { settings: { ...defaultSettings(), units: 'bits' }, notice: null });
});

test('unreadable file (a directory where the file should be): defaults and a notice', () => {
  const d = dir();
  const file = path.join(d, 'settings.json');
  fs.mkdirSync(file);
  const r = loadSettings(file, 9);
  assert.match(r.notice!, /could not be read \(EISDIR\)/);
});

test('save refuses invalid settings; the engine takes its part of them', () => {
  const file = path.join(dir(), 'settings.json');
  assert.throws(() => saveSettings(file, { ...defaultSettings(), units: 'furlongs' }));
  assert.ok(!fs.existsSync(file));
  const cfg = mergeConfig(defaultConfig(), engineConfigOf({ ...defaultSettings(), samplingIntervalMs: 2000, probes: false }));
  assert.equal(cfg.intervalMs, 2000);
  assert.equal(cfg.probes, false);
});

test('a settings file holding an array ([1,2]) is refused with a notice, not loaded as defaults silently', () => {
  for (const text of ['[1,2]', '[]', '42', '"x"', 'null']) {
    const d = dir();
    const file = path.join(d, 'settings.json');
    fs.writeFileSync(file, text);
    const r = loadSettings(file, 99);
    assert.deepEqual(r.settings, defaultSettings(), text);
    assert.match(r.notice ?? '', /invalid values.*kept as settings\.corrupt-99\.json/, text);
    assert.equal(fs.readFileSync(path.join(d, 'settings.corrupt-99.json'), 'utf8'), text);
  }
});
