/// <reference lib="dom" />
// The interface view's 5 and 15 minute windows after a reload (issue 15): drawn from the usage history's
// 10-second buckets, not only what the page collected since it opened. The history is made by the real
// engine from real loopback traffic with a fake clock over the last 14 minutes, then `netwatch serve --db`
// (a live engine) answers the page's question from it. Real Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium, startServe, type Serve } from './harness.ts';
import { nextMessage, peer } from '../integration/engine-host.ts';
import { historyEngine } from './usage-history.ts';

let browser: Browser;
let serve: Serve;
let page: Page;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-iface-history-'));
const PER_MINUTE = 2_000_000;
const MINUTES = 13;
let firstStep = 0;

before(async () => {
  if (chromiumSkip) return;
  const db = path.join(dir, 'history.sqlite');
  const server = await peer<{ port: number }>('sink-server.ts');
  const client = await peer<{ connected: boolean }>('sized-client.ts', [String(server.first.port)]);
  const received = async () => { server.child.send({ type: 'count' }); return (await nextMessage<{ received: number }>(server.child)).received; };
  firstStep = Date.now() - (MINUTES + 1) * 60_000;
  let fake = firstStep;
  const engine = historyEngine(db, () => fake);
  try {
    await engine.pollAll();
    // A minute of fake time per step, with PER_MINUTE bytes over loopback in it.
    for (let m = 1; m <= MINUTES; m++) {
      const before = await received();
      client.child.send({ send: PER_MINUTE });
      await nextMessage(client.child);
      while ((await received()) - before < PER_MINUTE) await new Promise((r) => setTimeout(r, 10));
      fake = firstStep + m * 60_000;
      await engine.pollAll();
    }
  } finally {
    engine.stop();
    server.child.kill();
    client.child.kill();
  }
  serve = await startServe(['--no-probes', '--db', db]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
});
after(async () => { await browser?.close(); await serve?.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

test('after a reload, the 15 and 5 minute windows are drawn from the history\'s 10-second buckets', { skip: chromiumSkip }, async () => {
  for (const visit of ['first', 'reload']) {
    if (visit === 'first') await page.goto(`${serve.url}#/interface/lo`); else await page.reload();
    await page.getByRole('radio', { name: '15 min', exact: true }).click();
    const note = page.getByTestId('from-history');
    await note.waitFor();
    // Every byte of the 13 fake minutes was received on lo (and sent: loopback counts both); other
    // programs on this machine may add their own loopback bytes, never fewer.
    const rx = Number(await note.getAttribute('data-rx-bytes'));
    assert.ok(rx >= MINUTES * PER_MINUTE, `${visit}: ${rx} B from the history, want ≥ ${MINUTES * PER_MINUTE}`);
    assert.ok(rx < MINUTES * PER_MINUTE * 3, `${visit}: ${rx} B is far more than was sent`);
    assert.match(await note.innerText(), /^Until .*: 10-second averages from the usage history\.$/);
    // 14 of the 15 minutes are known: the chart says so, not "60 s of the 15 min window".
    const label = (await page.locator('[role="img"][aria-label^="lo download"]').getAttribute('aria-label'))!;
    assert.match(label, /^lo download and upload over the last 1[45] min/, label);
    if (await page.getByTestId('collecting').count() > 0) assert.match(await page.getByTestId('collecting').innerText(), /1[45] min of 15 min known/);
    await page.getByRole('radio', { name: '5 min', exact: true }).click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="collecting"]'));
    assert.equal(await note.count(), 1, 'the 5 minute window is filled from the history too');
  }
});
