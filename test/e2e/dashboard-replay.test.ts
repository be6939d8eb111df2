/// <reference lib="dom" />
// Real Chromium against `netwatch serve --replay` of a recording made here by the real engine (10,000
// sockets, a bandwidth alert, gateway/DNS probes in a lab namespace; Wi-Fi from a real capture, see
// scripts/demo-recording.ts): the Wi-Fi card, the Alerts window and the virtualised table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium, startServe, type Serve } from './harness.ts';
import { demoRecording } from '../../scripts/demo-recording.ts';

const root = process.getuid?.() === 0;
const skip = chromiumSkip || (root ? false : 'the recording needs network namespaces: run as root (CI does)');
let dir: string;
let serve: Serve;
let browser: Browser;
let page: Page;
const problems: string[] = [];

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-replay-'));
  await demoRecording(path.join(dir, 'demo.jsonl'), 12);
  serve = await startServe(['--replay', path.join(dir, 'demo.jsonl')]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
}, { timeout: 120_000 });
after(async () => {
  await browser?.close();
  await serve?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the Wi-Fi card shows the captured network', { skip }, async () => {
  await page.goto(serve.url);
  const card = page.locator('[data-testid="wifi-card"]');
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /SSID-1/);
  assert.match(text, /wlp1s0 · -51 dBm/);
  assert.match(text, /ch 1 ·/);
  assert.match(text, /26 Mbit\/s/);
  assert.match(text, /ch 1 · 2\.4 GHz ·/, 'band from the 2412 MHz frequency');
  assert.doesNotMatch(text, /noise/, 'iw gives no noise floor: none shown rather than "—"');
  // The card sits under its interface in the list when the interface is there; a signal sparkline
  // appears once there are two readings.
  await page.locator('[data-testid="wifi-spark"] canvas').waitFor({ timeout: 10_000 });
  assert.equal(await card.locator('rect.on').count(), 4, '-51 dBm is four bars');
});

test('the Alerts window lists the active bandwidth alert with severity, detail and time; the popover badge counts it', { skip }, async () => {
  await page.goto(`${serve.url}#/popover`);
  await page.waitForFunction(() => document.querySelector('[data-testid="alert-badge"]')?.textContent === '1');
  await page.locator('[data-testid="alert-badge"]').click();
  await page.waitForURL(/#\/alerts$/);
  const active = page.locator('[data-testid="alerts-active"] [data-testid="alert"]');
  await active.first().waitFor();
  assert.equal(await active.count(), 1);
  const card = await active.first().innerText();
  assert.match(card, /critical/i);
  assert.match(card, /bandwidth/);
  assert.match(card, /High upload on nwba/);
  // What, where, the threshold in the user's units (SI bytes by default), since when, what to do.
  assert.match(await active.first().locator('[data-testid="alert-what"]').innerText(), /^This computer is uploading at [56]\.\d\d MB\/s on nwba, more than twice your alert threshold of 2\.00 MB\/s(; most of it by .+)?\.$/);
  assert.match(await active.first().locator('[data-testid="alert-when"]').innerText(), /^Since .+ \(\d+ s\); last triggered .+\.$/);
  assert.match(await active.first().locator('[data-testid="alert-todo"]').innerText(), /^What to do: If you expected a large upload .* raise the threshold in Settings if this is normal for you\. Apps · Connections · Settings$/);
  // A notification's click opens the window on its alert (#/alerts/<id>): that alert is marked.
  const id = await active.first().getAttribute('data-id');
  await page.goto(`${serve.url}#/alerts/${encodeURIComponent(id!)}`);
  await page.locator(`[data-testid="alerts-active"] [data-id="${id}"][aria-current="true"]`).waitFor();
});

test('an alert acknowledged, then snoozed, stays so across a reload; the host keeps the marks; bits when the settings say bits', { skip }, async () => {
  await page.goto(`${serve.url}#/alerts`);
  const card = page.locator('[data-testid="alerts-active"] [data-testid="alert"]').first();
  await card.waitFor();
  const id = (await card.getAttribute('data-id'))!;
  assert.equal(await page.locator('[data-testid="alerts-new"]').innerText(), '1 new');
  await card.locator('[data-testid="ack"]').click();
  await page.locator(`[data-id="${id}"] [data-testid="acked"]`).waitFor();
  await page.reload();
  await page.locator(`[data-testid="alerts-active"] [data-id="${id}"] [data-testid="acked"]`).waitFor();
  assert.equal(await page.locator('[data-testid="alerts-new"]').count(), 0, 'no new alert once acknowledged');

  await page.locator(`[data-id="${id}"] [data-testid="snooze"]`).selectOption({ label: 'for 1 hour' });
  const snoozed = page.locator(`[data-testid="alerts-snoozed"] [data-id="${id}"]`);
  await snoozed.waitFor();
  assert.match(await snoozed.locator('[data-testid="snoozed"]').innerText(), /^snoozed until /);
  assert.equal(await page.locator('[data-testid="alerts-active"] [data-testid="alert"]').count(), 0);
  await page.reload();
  await page.locator(`[data-testid="alerts-snoozed"] [data-id="${id}"]`).waitFor();
  const onDisk = JSON.parse(fs.readFileSync(path.join(serve.configHome, 'netwatch', 'settings.json'), 'utf8'));
  assert.deepEqual(onDisk.alertMarks.acknowledged, [id]);
  assert.equal(onDisk.alertMarks.snoozed.length, 1);
  assert.match(onDisk.alertMarks.snoozed[0].key, /^bandwidth:nwba/);
  const until = onDisk.alertMarks.snoozed[0].untilTs - Date.now();
  assert.ok(until > 3_500_000 && until <= 3_600_000, `${until} ms left of an hour`);

  await page.locator(`[data-id="${id}"] [data-testid="unsnooze"]`).click();
  await page.locator(`[data-testid="alerts-active"] [data-id="${id}"]`).waitFor();
  // The same alert in bits once the settings say bits (saved as the page saves: every field).
  const settings = await (await fetch(`${serve.base}api/settings`, { headers: serve.auth() })).json();
  await fetch(`${serve.base}api/settings`, { method: 'POST', headers: { ...serve.auth(), 'Content-Type': 'application/json' }, body: JSON.stringify({ ...settings, units: 'bits' }) });
  await page.reload();
  const what = page.locator(`[data-id="${id}"] [data-testid="alert-what"]`);
  await what.waitFor();
  assert.match(await what.innerText(), /^This computer is uploading at 4\d\.\d Mbit\/s on nwba, more than twice your alert threshold of 16\.0 Mbit\/s(; most of it by .+)?\.$/);
  await fetch(`${serve.base}api/settings`, { method: 'POST', headers: { ...serve.auth(), 'Content-Type': 'application/json' }, body: JSON.stringify({ ...settings, units: 'bytes', alertMarks: { acknowledged: [], snoozed: [] } }) });
});

test('the virtualised table holds 10,000 rows and more with a few dozen in the DOM, scrolls to the last, filters and sorts', { skip }, async () => {
  await page.goto(`${serve.url}#/connections`);
  const count = page.locator('[data-testid="conn-count"]');
  // The holder's 10,000 sockets, the traffic pair's and the lab's UDP trickle (scripts/demo-recording.ts).
  await page.waitForFunction(() => /^(10,00\d) of \1$/.test(document.querySelector('[data-testid="conn-count"]')!.textContent!.trim()));
  const total = (await count.innerText()).trim().split(' of ')[1]!;
  const last = Number(total.replace(/,/g, '')) - 1;
  const inDom = await page.locator('[data-row]').count();
  assert.ok(inDom > 10 && inDom < 60, `${inDom} rows in the DOM`);
  // The last row, fetched as a page when scrolled into view.
  await page.locator('[data-testid="conn-viewport"]').evaluate((v) => { v.scrollTop = v.scrollHeight; });
  await page.waitForFunction((n) => {
    const row = document.querySelector(`[data-row="${n}"]`);
    return !!row && /\d+\.\d+\.\d+\.\d+:\d+/.test(row.textContent!);
  }, last);
  // Sort by local address ascending: the first row has the lowest.
  await page.locator('[data-testid="conn-viewport"]').evaluate((v) => { v.scrollTop = 0; });
  await page.locator('button[data-sort="local"]').click();
  await page.waitForFunction(() => document.querySelector('button[data-sort="local"]')!.parentElement!.getAttribute('aria-sort') === 'ascending'
    && document.querySelector('[data-testid="conn-table"]')!.getAttribute('aria-busy') === 'false');
  // Rows in index order (the DOM keeps recycled rows where they were).
  const firsts = await page.locator('[data-row]').evaluateAll((rows) => rows
    .map((r) => [Number(r.getAttribute('data-row')), r.querySelector('[role="gridcell"]:nth-child(4)')?.textContent ?? ''] as const)
    .sort((a, b) => a[0] - b[0]).map(([, t]) => t));
  const sorted = [...firsts].sort(new Intl.Collator('en', { numeric: true }).compare);
  assert.deepEqual(firsts, sorted);
  // Filter to the listener's state: one row.
  await page.locator('.states button', { hasText: /^LISTEN/ }).click();
  await page.waitForFunction((t) => {
    const c = document.querySelector('[data-testid="conn-count"]')!.textContent!.trim();
    return c.endsWith(` of ${t}`) && !c.startsWith(`${t} `);
  }, total);
  assert.match(await count.innerText(), new RegExp(`^[1-9]\\d? of ${total}$`));
  // Keyboard: focus the grid, move down, the TCP internals of the selected row show.
  await page.locator('[data-testid="conn-table"]').focus();
  await page.keyboard.press('ArrowDown');
  await page.locator('[data-testid="conn-detail"]').waitFor();
  assert.match(await page.locator('[data-testid="conn-detail"]').innerText(), /Congestion control/);
  assert.deepEqual(problems, []);
});
