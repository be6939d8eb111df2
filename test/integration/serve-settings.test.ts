// `netwatch serve` keeps settings saved from its page in the user's config folder (XDG_CONFIG_HOME/netwatch):
// a restart starts the engine with them; a flag's field keeps the user's own value on disk; a corrupt
// file is set aside with a notice and defaults are used, as the app does.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultSettings, type Settings } from '../../shared/index.ts';
import { startServe, streamSnapshot, type Serve } from '../e2e/harness.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-serve-settings-'));
const file = path.join(home, 'netwatch', 'settings.json');
const serves: Serve[] = [];
after(async () => { for (const s of serves) await s.stop(); fs.rmSync(home, { recursive: true, force: true }); });
const start = async (args: string[] = []) => { const s = await startServe(['--no-token', ...args], { env: { XDG_CONFIG_HOME: home } }); serves.push(s); return s; };
const get = async (s: Serve) => (await fetch(`${s.base}api/settings`)).json() as Promise<Settings>;
const post = async (s: Serve, body: unknown) => {
  const r = await fetch(`${s.base}api/settings`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() as { ok: boolean; settings?: Settings; error?: string } };
};
test('settings saved from the page survive a restart of serve, and the engine starts with them', { timeout: 60_000 }, async () => {
  const a = await start(['--no-probes']);
  assert.deepEqual(await get(a), { ...defaultSettings(), probes: false }, 'no file yet: defaults, with the flag');
  assert.equal((await a.status())['settingsFile'], file);
  // The page posts every field, the flag's value included (probes: false).
  const r = await post(a, { ...defaultSettings(), probes: false, units: 'bits', samplingIntervalMs: 2000, bandwidthThresholdBps: 50_000_000 });
  assert.equal(r.status, 200);
  assert.equal(r.body.ok, true);
  const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as Settings;
  assert.equal(onDisk.units, 'bits');
  assert.equal(onDisk.samplingIntervalMs, 2000);
  assert.equal(onDisk.probes, true, 'the flag\'s field keeps the user\'s own value: dropping --no-probes restores it');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  await a.stop();

  const b = await start(['--no-probes']);
  const s = await get(b);
  assert.equal(s.units, 'bits');
  assert.equal(s.samplingIntervalMs, 2000);
  assert.equal(s.probes, false, 'the flag still wins');
  assert.equal((await streamSnapshot(b, 1))['intervalMs'], 2000, 'the engine runs at the saved interval');
  assert.equal((await b.status())['settingsNotice'], null);
  await b.stop();
});

test('an invalid save is refused with the field named and changes nothing on disk', async () => {
  const s = await start();
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  const r = await post(s, { ...defaultSettings(), bandwidthThresholdBps: 10 });
  assert.equal(r.status, 400);
  assert.match(r.body.error!, /bandwidthThresholdBps/);
  assert.equal(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null, before);
  await s.stop();
});

test('a corrupt settings file is set aside with a notice; serve starts on defaults', async () => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '{"units": "bits", ');
  const s = await start();
  assert.deepEqual(await get(s), defaultSettings());
  const st = await s.status();
  assert.match(String(st['settingsNotice']), /not valid JSON; using defaults\. The old file was kept as settings\.corrupt-\d+\.json\./);
  const aside = fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith('settings.corrupt-'));
  assert.equal(aside.length, 1);
  assert.equal(fs.readFileSync(path.join(path.dirname(file), aside[0]!), 'utf8'), '{"units": "bits", ');
  assert.ok(!fs.existsSync(file));
  await s.stop();
});
