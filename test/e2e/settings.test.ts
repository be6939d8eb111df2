/// <reference lib="dom" />
// Real Chromium on the Settings view of `netwatch serve` (live engine): the threshold in the units the
// settings say (50 MB/s ⇄ 400 Mbit/s), the interval in seconds, each choice group in its own box,
// messages that state the allowed range, a mute list of detectors that exist, and a save that the
// next serve run starts with; each detector on/off, the intelligence thresholds with their ranges and
// the user's allow-list (issue 14), saved as the engine config takes them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Snapshot } from '../../shared/index.ts';
import { chromiumSkip, launchChromium, pageSnapshotWhere, startServe, type Serve } from './harness.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-settings-e2e-'));
let serve: Serve;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const start = () => startServe(['--no-probes'], { env: { XDG_CONFIG_HOME: home } });

before(async () => {
  if (chromiumSkip) return;
  serve = await start();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
});
after(async () => { await browser?.close(); await serve?.stop(); fs.rmSync(home, { recursive: true, force: true }); });

const threshold = async () => `${await page.locator('[data-testid="set-threshold"]').inputValue()} ${await page.locator('[data-testid="set-threshold-unit"]').inputValue()}`;

test('the threshold follows the units setting, the interval is in seconds, each choice group has its own box', { skip: chromiumSkip }, async () => {
  await page.goto(`${serve.url}#/settings`);
  await page.locator('[data-testid="save"]').waitFor();
  assert.equal(await threshold(), '50 MB/s');
  assert.equal(await page.locator('[data-testid="set-interval"]').inputValue(), '1');
  await page.locator('[data-testid="set-bits"]').check();
  await page.waitForFunction(() => (document.querySelector('[data-testid="set-threshold-unit"]') as HTMLSelectElement).value === 'Mbit/s');
  assert.equal(await threshold(), '400 Mbit/s');
  // Each group of radios sits in one fieldset with a legend, and no fieldset holds two groups.
  const groups = await page.locator('fieldset').evaluateAll((fs) => fs.map((f) => ({
    legend: f.querySelector('legend')?.textContent?.trim() ?? '',
    radios: [...new Set(Array.from(f.querySelectorAll('input[type=radio]'), (r) => (r as HTMLInputElement).value))],
  })));
  assert.ok(groups.every((g) => g.legend.length > 0));
  assert.deepEqual(groups.filter((g) => g.radios.length).map((g) => [g.legend, g.radios]), [['Rates in', ['bytes', 'bits']], ['Prefixes', ['si', 'binary']]]);
  // Every detector can be muted, and the data plans' alerts.
  assert.deepEqual((await page.locator('[data-testid="mute-list"] label').allInnerTexts()).map((t) => t.trim()),
    ['High bandwidth', 'Port scan', 'Beaconing', 'DNS tunnel', 'New app on the network', 'Network change', 'Data plan'].map((l) => `${l} alerts`));
});

test('validation messages state the allowed range in the units being edited, and block the save', { skip: chromiumSkip }, async () => {
  await page.locator('[data-testid="set-threshold"]').fill('0.5');
  await page.locator('[data-testid="set-threshold-unit"]').selectOption('kbit/s');
  const err = page.locator('[data-testid="err-threshold"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="err-threshold"]')!.textContent !== '');
  assert.equal(await err.innerText(), 'The threshold is between 8 kbit/s and 800 Gbit/s.');
  assert.equal(await page.locator('[data-testid="save"]').isDisabled(), true);
  await page.locator('[data-testid="set-bytes"]').check();
  await page.waitForFunction(() => /kB\/s/.test(document.querySelector('[data-testid="err-threshold"]')!.textContent!));
  assert.equal(await err.innerText(), 'The threshold is between 1 kB/s and 100 GB/s.');
  await page.locator('[data-testid="set-bits"]').check();
  await page.locator('[data-testid="set-threshold"]').fill('400');
  await page.locator('[data-testid="set-threshold-unit"]').selectOption('Mbit/s');
  await page.waitForFunction(() => document.querySelector('[data-testid="err-threshold"]')!.textContent === '');

  await page.locator('[data-testid="set-interval"]').fill('0.1');
  assert.equal(await page.locator('[data-testid="err-interval"]').innerText(), 'The interval is between 0.25 and 60 seconds.');
  await page.locator('[data-testid="set-interval"]').fill('2');
  await page.locator('[data-testid="set-per-minute"]').fill('99');
  assert.equal(await page.locator('[data-testid="err-per-minute"]').innerText(), 'Between 1 and 60 notifications a minute (a whole number).');
  await page.locator('[data-testid="set-per-minute"]').fill('5');
  await page.locator('[data-testid="set-ports"]').fill('443, 70000');
  assert.equal(await page.locator('[data-testid="err-ports"]').innerText(), 'Ports are whole numbers between 1 and 65535, separated by commas.');
  await page.locator('[data-testid="set-ports"]').fill('443');
  assert.equal(await page.locator('[data-testid="save"]').isDisabled(), false);
});

test('a save is stored in bytes/s and ms, and the next serve run shows it in the same units', { skip: chromiumSkip }, async () => {
  await page.locator('[data-testid="save"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')!.textContent === 'Saved.');
  const onDisk = JSON.parse(fs.readFileSync(path.join(home, 'netwatch', 'settings.json'), 'utf8'));
  assert.deepEqual([onDisk.units, onDisk.bandwidthThresholdBps, onDisk.samplingIntervalMs, onDisk.accountPorts], ['bits', 50_000_000, 2000, [443]]);
  await page.goto('about:blank'); // the stream would end mid-chunk when serve stops
  await serve.stop();
  serve = await start();
  await page.goto(`${serve.url}#/settings`);
  await page.waitForFunction(() => (document.querySelector('[data-testid="set-threshold-unit"]') as HTMLSelectElement | null)?.value === 'Mbit/s');
  assert.equal(await threshold(), '400 Mbit/s');
  assert.equal(await page.locator('[data-testid="set-interval"]').inputValue(), '2');
  // Rates elsewhere follow the saved units too.
  await page.goto(`${serve.url}#/popover`);
  await page.waitForFunction(() => /bit\/s/.test(document.body.innerText));
  assert.deepEqual(problems, []);
});

test('a data plan: its range message, then saved in bytes and counted by the engine (snapshot.quotas)', { skip: chromiumSkip }, async () => {
  await page.goto(`${serve.url}#/settings`);
  await page.locator('[data-testid="plan-add"]').click();
  await page.locator('[data-testid="plan-iface"]').fill('lo');
  await page.locator('[data-testid="plan-limit"]').fill('0');
  await page.locator('[data-testid="plan-day"]').fill('15');
  const unit = /binary/.test(JSON.stringify(await (await fetch(`${serve.base}api/settings`, { headers: serve.auth() })).json())) ? 'GiB' : 'GB';
  assert.equal(await page.locator('[data-testid="err-plans"]').innerText(), `Each plan needs an interface name, a limit above 0 ${unit} and a reset day from 1 to 28 (every month has it).`);
  assert.ok(await page.locator('[data-testid="save"]').isDisabled());
  await page.locator('[data-testid="plan-limit"]').fill('2');
  await page.locator('[data-testid="save"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.textContent === 'Saved.');
  const saved = await (await fetch(`${serve.base}api/settings`, { headers: serve.auth() })).json() as { quotas: unknown[] };
  assert.deepEqual(saved.quotas, [{ interface: 'lo', limitBytes: unit === 'GiB' ? 2 * 2 ** 30 : 2e9, resetDay: 15 }]);
  // The engine counts it: the next snapshots carry the plan with its period.
  const snap = await pageSnapshotWhere<Snapshot>(page, serve.base, 's.quotas.length > 0');
  const q = snap.quotas[0]!;
  assert.equal(q.interface, 'lo');
  assert.equal(new Date(q.periodStart).getDate(), 15);
  assert.ok(q.unavailable === null && q.usedBytes >= 0, JSON.stringify(q));
  // The popover shows the plan's progress.
  await page.goto(`${serve.url}#/popover`);
  const plan = page.locator('[data-testid="plan-lo"]');
  await plan.waitFor();
  assert.match(await plan.innerText(), /^Plan lo\s+.+ \/ 2\.(00|15) G(i)?B$/);
  const now = Number(await plan.getByRole('progressbar').getAttribute('aria-valuenow'));
  assert.ok(now >= 0 && now <= 100);
});

test('detectors on/off, their thresholds with the allowed ranges, the allow-list: saved and kept by the next run', { skip: chromiumSkip }, async () => {
  await page.goto(`${serve.url}#/settings`);
  await page.locator('[data-testid="save"]').waitFor();
  assert.deepEqual(await page.locator('[data-testid="detectors"] input').evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).checked)), [true, true, true, true, true, true]);
  assert.equal(await page.locator('[data-testid="set-portScan-ports"]').inputValue(), '20');
  assert.equal(await page.locator('[data-testid="set-beaconing-jitterPct"]').inputValue(), '15');
  await page.locator('[data-testid="set-portScan-ports"]').fill('2');
  assert.equal(await page.locator('[data-testid="err-portScan-ports"]').innerText(), 'A whole number from 3 to 65535.');
  await page.locator('[data-testid="set-beaconing-jitterPct"]').fill('0');
  assert.equal(await page.locator('[data-testid="err-beaconing-jitterPct"]').innerText(), 'Above 0 and at most 100 %.');
  await page.locator('[data-testid="set-dnsTunnel-nameBytes"]').fill('300');
  assert.equal(await page.locator('[data-testid="err-dnsTunnel-nameBytes"]').innerText(), 'A whole number from 20 to 253.');
  assert.ok(await page.locator('[data-testid="save"]').isDisabled());
  await page.locator('[data-testid="set-portScan-ports"]').fill('40');
  await page.locator('[data-testid="set-beaconing-jitterPct"]').fill('7.5');
  await page.locator('[data-testid="set-dnsTunnel-nameBytes"]').fill('100');
  // An empty allow-list entry is refused, then filled in.
  await page.locator('[data-testid="allow-add"]').click();
  assert.match(await page.locator('[data-testid="err-allow"]').innerText(), /^Each entry needs a value of 1 to 253 characters/);
  await page.locator('[data-testid="allow-value"]').fill('updates.example.com');
  await page.locator('[data-testid="allow-add"]').click();
  await page.locator('[data-testid="allow-kind"]').nth(1).selectOption('host');
  await page.locator('[data-testid="allow-value"]').nth(1).fill('192.0.2.10');
  await page.locator('[data-testid="det-network-change"]').uncheck();
  assert.ok(await page.locator('[data-testid="set-beaconing-attempts"]').isEnabled());
  await page.locator('[data-testid="det-beaconing"]').uncheck();
  assert.ok(await page.locator('[data-testid="set-beaconing-attempts"]').isDisabled(), 'a switched-off detector\'s thresholds are greyed out');
  await page.locator('[data-testid="save"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.textContent === 'Saved.');
  const onDisk = JSON.parse(fs.readFileSync(path.join(home, 'netwatch', 'settings.json'), 'utf8'));
  assert.deepEqual(onDisk.detectors, { bandwidth: true, portscan: true, beaconing: false, 'dns-tunnel': true, 'new-app': true, 'network-change': false });
  assert.deepEqual(onDisk.intel, {
    portScan: { ports: 40, windowSec: 30 }, beaconing: { attempts: 5, jitterPct: 7.5 }, dnsTunnel: { nameBytes: 100, queriesPerMin: 50, uniqueSubdomains: 30 },
    allow: [{ kind: 'domain', value: 'updates.example.com' }, { kind: 'host', value: '192.0.2.10' }],
  });
  await page.goto('about:blank');
  await serve.stop();
  serve = await start();
  await page.goto(`${serve.url}#/settings`);
  await page.locator('[data-testid="allow-entry"]').nth(1).waitFor();
  assert.equal(await page.locator('[data-testid="set-portScan-ports"]').inputValue(), '40');
  assert.equal(await page.locator('[data-testid="det-beaconing"]').isChecked(), false);
  await page.locator('[data-testid="allow-entry"]').first().getByRole('button', { name: 'Remove updates.example.com' }).click();
  assert.equal(await page.locator('[data-testid="allow-entry"]').count(), 1);
  assert.deepEqual(problems, []);
});
