/// <reference lib="dom" />
// The Processes view in real Chromium (issue 12 points 3 and 9): its headline total equals the listed
// apps plus what no app explains, with loopback left out by default and counted when the user puts it
// in the total (live engine, our own loopback traffic); and the app with a bad connection is flagged
// and sorts first by quality (a recording made by the real engine in the throttled namespace lab).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium, startServe, type Serve } from './harness.ts';
import { nextMessage, peer } from '../integration/engine-host.ts';
import { throttledLab } from '../integration/throttled-lab.ts';
import { ROOT } from '../helpers.ts';

let browser: Browser;
const serves: Serve[] = [];
before(async () => {
  if (chromiumSkip) return;
  browser = await launchChromium();
});
after(async () => { await browser?.close(); for (const s of serves) await s.stop(); });

/** Headline figures and the rows' counted rates, read from the same render. */
const readTotals = (page: Page) => page.evaluate(() => {
  const h = document.querySelector<HTMLElement>('[data-testid="apps-headline"]')!;
  const sum = (id: string) => Array.from(document.querySelectorAll<HTMLElement>(`tr[data-app] [data-testid="${id}"]`)).reduce((n, e) => n + Number(e.dataset['bps']), 0);
  return { rx: Number(h.dataset['rxBps']), tx: Number(h.dataset['txBps']), urx: Number(h.dataset['unattributedRxBps']), utx: Number(h.dataset['unattributedTxBps']), appsRx: sum('rx-rate'), appsTx: sum('tx-rate'), text: h.innerText };
});
/**
 * Within the rounding of shown figures: 2 %. Socket counters are read a few ms before the interface
 * counters, and that gap varies from poll to poll (seen: 0.9 % of 3.3 MB/s with the cores busy).
 */
const agrees = (total: number, parts: number) => Math.abs(total - parts) <= Math.max(1, total * 0.02);

test('headline = apps + unattributed; loopback out by default, counted and labelled when the user includes lo', { skip: chromiumSkip }, async (t) => {
  const serve = await startServe(['--no-probes', '--interval', '1']);
  serves.push(serve);
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const server = await peer<{ port: number }>('sink-server.ts');
  const client = await peer<{ connected: boolean }>('paced-client.ts', [String(server.first.port), '3000000', '14000']);
  try {
    client.child.send({ go: true });
    const done = nextMessage(client.child);
    await page.goto(`${serve.url}#/processes`);
    const serverRow = `tr[data-pid="${server.child.pid}"] [data-testid="rx-rate"]`;
    await page.locator(serverRow).waitFor();
    await page.waitForTimeout(3000);
    const out = await readTotals(page);
    t.diagnostic(`lo excluded: ${JSON.stringify(out)}`);
    assert.ok(agrees(out.rx, out.appsRx + out.urx) && agrees(out.tx, out.appsTx + out.utx), JSON.stringify(out));
    assert.equal(Number(await page.locator(serverRow).getAttribute('data-bps')), 0, 'loopback-only traffic is not counted');
    assert.match(out.text, /Loopback \(this machine to itself\) is not counted/);

    // The user counts loopback: Settings' "interfaces in the total" (saved the way the page saves it).
    const settings = await (await fetch(`${serve.base}api/settings`, { headers: serve.auth() })).json() as { totalInterfaces: string[] };
    const res = await fetch(`${serve.base}api/settings`, { method: 'POST', headers: { ...serve.auth(), 'Content-Type': 'application/json' }, body: JSON.stringify({ ...settings, totalInterfaces: ['lo', 'eth0'] }) });
    assert.equal(res.status, 200, await res.text());
    await page.reload();
    await page.waitForFunction(() => /loopback included/.test(document.querySelector('[data-testid="apps-headline"]')?.textContent ?? ''), null, { timeout: 10_000 });
    await page.waitForFunction((sel) => Number(document.querySelector<HTMLElement>(sel)?.dataset['bps']) > 2_000_000, serverRow, { timeout: 10_000 });
    const inc = await readTotals(page);
    t.diagnostic(`lo included: ${JSON.stringify(inc)}`);
    assert.ok(inc.rx > 2_000_000, 'the headline now counts our 3 MB/s over loopback');
    assert.ok(agrees(inc.rx, inc.appsRx + inc.urx) && agrees(inc.tx, inc.appsTx + inc.utx), JSON.stringify(inc));
    assert.match(inc.text, /Of the total, loopback \(this machine to itself\)/);
    await done;
  } finally {
    client.child.kill();
    server.child.kill();
    await page.close();
  }
});

test('the app with a bad connection is flagged with the reason and sorts first by quality', { skip: chromiumSkip }, async (t) => {
  let lab;
  try { lab = await throttledLab(); } catch (e) { return t.skip(`cannot build the namespace lab here: ${(e as Error).message.split('\n')[0]}`); }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-quality-rec-'));
  try {
    await new Promise((r) => setTimeout(r, 3000));
    const file = path.join(dir, 'quality.jsonl');
    lab.inA(process.execPath, [path.join(ROOT, 'bin/netwatch.js'), 'record', file, '--interval', '1', '--duration', '4', '--no-probes']);
    lab.stop();
    const serve = await startServe(['--replay', file]);
    serves.push(serve);
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`${serve.url}#/processes`);
    const bad = page.locator('tr[data-app$="bad-uploader.ts"] [data-testid="quality"]');
    const good = page.locator('tr[data-app$="good-uploader.ts"] [data-testid="quality"]');
    await bad.waitFor();
    await page.waitForFunction(() => !!document.querySelector('tr[data-app$="bad-uploader.ts"] [data-testid="quality"][data-poor="true"]'), null, { timeout: 10_000 });
    t.diagnostic(`bad: ${await bad.innerText()} | ${await bad.getAttribute('title')}`);
    assert.match(await bad.innerText(), /(% of segments retransmitted|slow: p95 round trip)/);
    assert.match((await bad.getAttribute('title'))!, /^Round trip p50 .* ms, p95 .* ms; .* of [\d,]+ segments resent; over 1 TCP connection to other hosts/);
    assert.equal(await good.getAttribute('data-poor'), null);
    await page.getByRole('button', { name: /^Quality/ }).click();
    const first = await page.locator('[data-testid="processes-table"] tbody tr[data-app]').first().getAttribute('data-app');
    assert.match(first!, /bad-uploader\.ts$/);
    await page.close();
  } finally {
    lab.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
