/// <reference lib="dom" />
// The usage history's retention as a setting (issue 15), end to end: typed in the Settings view of
// `netwatch serve --db H`, refused outside its range with the range said, saved, and the engine prunes
// H by it at its next flush. Real Chromium, a real engine, a real database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium, startServe, type Serve } from './harness.ts';
import { HistoryStore, type UsageDelta } from '../../electron/collector/history/store.ts';
import { bucketStart } from '../../electron/collector/history/buckets.ts';

let browser: Browser;
let serve: Serve;
let page: Page;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-retention-e2e-'));
const db = path.join(dir, 'history.sqlite');
const DAY = 86_400_000;
const fiveMinuteRowsOlderThan = (days: number) => {
  const d = new DatabaseSync(db, { readOnly: true });
  try { return (d.prepare('SELECT count(*) AS n FROM usage_5m WHERE ts < ?').get(bucketStart(Date.now() - days * DAY, '5m')) as { n: number }).n; } finally { d.close(); }
};

before(async () => {
  if (chromiumSkip) return;
  // Six days of hourly 5-minute rows for one app (within the default week of 5-minute rows).
  const r = HistoryStore.open(db);
  if (!r.ok) throw new Error(r.reason);
  const rows: UsageDelta[] = [];
  for (let t = Date.now() - 6 * DAY; t < Date.now(); t += 3_600_000) rows.push({ ts: bucketStart(t, '5m'), app: '/usr/bin/curl', iface: '', host: '', service: '', rx: 1000, tx: 10 });
  r.store.write(rows, [], Date.now());
  r.store.close();
  serve = await startServe(['--no-probes', '--db', db]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
});
after(async () => { await browser?.close(); await serve?.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

test('retention typed in Settings: its range is said, the saved value reaches the engine, which prunes by it', { skip: chromiumSkip }, async () => {
  await page.goto(`${serve.url}#/settings`);
  const five = page.getByTestId('set-retention-5m');
  await five.waitFor();
  assert.equal(await five.inputValue(), '7', 'the default: a week');
  assert.ok(fiveMinuteRowsOlderThan(3) > 0);
  await five.fill('40');
  await page.waitForFunction(() => /5-minute rows 1–31/.test(document.querySelector('[data-testid="err-retention"]')?.textContent ?? ''));
  assert.equal(await page.getByTestId('save').isDisabled(), true);
  await five.fill('3');
  await page.waitForFunction(() => (document.querySelector('[data-testid="err-retention"]')?.textContent ?? '') === '');
  await page.getByTestId('save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.textContent === 'Saved.');
  const saved = await (await fetch(`${serve.base}api/settings`, { headers: serve.auth() })).json() as { historyRetention: Record<string, number | null> };
  assert.deepEqual(saved.historyRetention, { '5m': 3, '1h': 90, '1d': 1830, '1mo': null });
  // A question makes the engine flush; a flush after a change prunes (not only the hourly prune).
  for (let i = 0; i < 50 && fiveMinuteRowsOlderThan(3) > 0; i++) {
    await fetch(`${serve.base}api/usage`, { method: 'POST', headers: { ...serve.auth(), 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'totals', from: Date.now() - 7 * DAY, to: Date.now(), by: 'app' }) });
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(fiveMinuteRowsOlderThan(3), 0, '5-minute rows older than 3 days are gone');
  assert.ok(fiveMinuteRowsOlderThan(2) > 0, 'and no more');
});
