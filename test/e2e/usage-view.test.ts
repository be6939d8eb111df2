/// <reference lib="dom" />
// The Usage view (issue 15) in real Chromium on a replayed history: `netwatch serve --replay REC --db H`,
// H made by the real engine (usage-history.ts). Ranges, stacked bars with their axis labels, the apps'
// totals, an app's own series on click; loopback counted when the user counts it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium, startServe, type Serve } from './harness.ts';
import { APPS, buildHistory } from './usage-history.ts';
import { ROOT } from '../helpers.ts';
import { execFileSync } from 'node:child_process';

let browser: Browser;
let serve: Serve;
let page: Page;
let steps: number[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-usage-e2e-'));

before(async () => {
  if (chromiumSkip) return;
  const db = path.join(dir, 'history.sqlite');
  steps = await buildHistory(db);
  const rec = path.join(dir, 'rec.jsonl');
  execFileSync(process.execPath, [path.join(ROOT, 'bin/netwatch.js'), 'record', rec, '--duration', '2', '--no-probes'], { stdio: 'ignore' });
  serve = await startServe(['--replay', rec, '--db', db]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  // Loopback counts here, as the user would set it for traffic between local programs.
  const s = await (await fetch(`${serve.base}api/settings`, { headers: serve.auth() })).json() as Record<string, unknown>;
  await fetch(`${serve.base}api/settings`, { method: 'POST', headers: { ...serve.auth(), 'Content-Type': 'application/json' }, body: JSON.stringify({ ...s, totalInterfaces: ['lo', 'eth0'] }) });
});
after(async () => { await browser?.close(); await serve?.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

const labels = async () => JSON.parse((await page.locator('[data-testid="usage-chart"]').getAttribute('data-x-labels'))!) as string[];
const rowBytes = async (title: string) => {
  const row = page.locator('[data-testid="usage-table"] tbody tr', { hasText: title });
  return [Number(await row.locator('td').nth(1).getAttribute('data-bytes')), Number(await row.locator('td').nth(2).getAttribute('data-bytes'))];
};

test('today: hourly stacked bars with a time axis, both apps with their totals; 7 days: one bar a day', { skip: chromiumSkip }, async () => {
  await page.goto(`${serve.url}#/usage`);
  await page.locator('[data-testid="usage-chart"]').waitFor();
  await page.waitForFunction(() => /nwtest-video/.test(document.querySelector('[data-testid="usage-table"]')?.textContent ?? ''));
  const hours = new Date().getHours() + 1;
  const today = steps.filter((t) => t >= new Date().setHours(0, 0, 0, 0)).length;
  assert.equal((await labels()).length, hours, 'one bar per hour of today');
  assert.match((await labels())[0]!, /^(00|12):00/);
  const stacks = JSON.parse((await page.locator('[data-testid="usage-chart"]').getAttribute('data-stacks'))!) as string[];
  for (const a of APPS) assert.ok(stacks.includes(a.title), `${a.title} among ${stacks.join(', ')}`);
  // The receiving server got both apps' bytes; each sender sent its own, within 1 %.
  for (const a of APPS) {
    const [, sent] = await rowBytes(a.title);
    assert.ok(Math.abs(sent! - a.bytes * today) <= a.bytes * today * 0.01, `${a.title}: ${sent} B sent today, want ${a.bytes * today}`);
  }
  assert.match((await page.locator('[data-testid="usage-chart"]').getAttribute('aria-label'))!, /^Apps, today: .* received, .* sent, bytes per hour$/);

  await page.getByRole('button', { name: 'Last 7 days' }).click();
  await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid="usage-chart"]')!.getAttribute('data-x-labels')!).length === 7);
  const [, weekSent] = await rowBytes(APPS[0].title);
  assert.ok(Math.abs(weekSent! - APPS[0].bytes * steps.length) <= APPS[0].bytes * steps.length * 0.01, `week: ${weekSent}`);
});

test('an app\'s row opens its own series (received and sent); back returns to all apps', { skip: chromiumSkip }, async () => {
  await page.goto(`${serve.url}#/usage`);
  await page.locator('[data-testid="usage-table"] tbody tr', { hasText: APPS[1].title }).click();
  await page.locator('[data-testid="usage-selected"]').waitFor();
  assert.equal(await page.locator('[data-testid="usage-selected"]').innerText(), APPS[1].title);
  await page.waitForFunction(() => document.querySelector('[data-testid="usage-chart"]')?.getAttribute('data-stacks') === '["Received","Sent"]');
  await page.getByTestId('usage-back').click();
  await page.waitForFunction(() => (document.querySelector('[data-testid="usage-chart"]')?.getAttribute('data-stacks') ?? '').includes('nwtest-video'));
});
