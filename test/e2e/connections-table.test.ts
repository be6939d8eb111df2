/// <reference lib="dom" />
// Real Chromium against `netwatch serve` with the live engine: the Connections table over loopback
// sockets of our own (one listener, 40 connections: 81 sockets on one port). The selection follows
// the connection through re-sorts and polls; Home/End/Page keys; state chips count within the filter;
// at 360 px the table keeps its highest-priority columns and every cell carries its full text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium, startServe, type Serve } from './harness.ts';

const N = 40;
let serve: Serve;
let browser: Browser;
let server: net.Server;
let port: number;
const sockets: net.Socket[] = [];
const problems: string[] = [];

before(async () => {
  if (chromiumSkip) return;
  server = net.createServer((s) => { sockets.push(s); s.on('error', () => {}); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
  for (let k = 0; k < N; k++) {
    const c = net.connect(port, '127.0.0.1');
    c.on('error', () => {});
    sockets.push(c);
    await new Promise((r) => c.once('connect', r));
  }
  serve = await startServe(['--no-probes']);
  browser = await launchChromium();
}, { timeout: 60_000 });
after(async () => {
  await browser?.close();
  await serve?.stop();
  for (const s of sockets) s.destroy();
  server?.close();
});

async function open(width: number, height = 800): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${serve.url}#/connections`);
  await page.locator('[data-testid="conn-port"]').fill(String(port));
  await waitCount(page, 2 * N + 1);
  return page;
}
const waitCount = (page: Page, n: number) => page.waitForFunction((n) => {
  const t = document.querySelector('[data-testid="conn-count"]')?.textContent?.trim() ?? '';
  return t.startsWith(`${n} of `) && document.querySelector('[data-testid="conn-table"]')?.getAttribute('aria-busy') === 'false';
}, n, { timeout: 20_000 });
/** data-row and the local address of the row marked selected (null when none is in the DOM). */
const selectedRow = (page: Page) => page.evaluate(() => {
  const r = document.querySelector('[data-row][aria-selected="true"]');
  const text = (k: string) => r?.querySelector(`[data-col="${k}"]`)?.textContent ?? null;
  return r ? { row: Number(r.getAttribute('data-row')), local: text('local'), remote: text('remote') } : null;
});
/** Epoch ms of the engine's latest connection poll. */
const pollTs = async (): Promise<number> => {
  const q = { text: '', pid: null, state: null, protocol: null, port: null, sort: 'rxBps', descending: true, offset: 0, limit: 0 };
  const r = await fetch(`${serve.base}api/query`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...serve.auth() }, body: JSON.stringify(q) });
  return ((await r.json()) as { connectionsTs: number }).connectionsTs;
};
const sortBy = async (page: Page, key: string, dir: 'ascending' | 'descending') => {
  for (let k = 0; k < 2; k++) {
    const now = await page.locator(`button[data-sort="${key}"]`).locator('..').getAttribute('aria-sort');
    if (now === dir) break;
    await page.locator(`button[data-sort="${key}"]`).click();
  }
  await page.waitForFunction(([key, dir]) => document.querySelector(`button[data-sort="${key}"]`)!.parentElement!.getAttribute('aria-sort') === dir
    && document.querySelector('[data-testid="conn-table"]')!.getAttribute('aria-busy') === 'false', [key, dir] as const);
};

test('the selection follows the connection through re-sorts and polls, not the row number', { skip: chromiumSkip }, async () => {
  const page = await open(1200);
  await sortBy(page, 'local', 'ascending');
  // A client socket in the middle of the ascending order.
  const row = page.locator('[data-row="10"]');
  const local = await row.locator('[data-col="local"]').textContent();
  const remote = await row.locator('[data-col="remote"]').textContent();
  assert.match(local!, /^127\.0\.0\.1:\d+/);
  await row.click();
  assert.deepEqual(await selectedRow(page), { row: 10, local, remote });
  await page.locator('[data-testid="conn-detail"]').waitFor();
  assert.match(await page.locator('[data-testid="conn-detail"]').innerText(), new RegExp(local!.replace(/\./g, '\\.')));

  await sortBy(page, 'local', 'descending');
  await page.waitForFunction((local) => document.querySelector('[data-row][aria-selected="true"] [data-col="local"]')?.textContent === local, local);
  const moved = await selectedRow(page);
  assert.deepEqual([moved!.local, moved!.remote], [local, remote], 'the same socket');
  assert.ok(moved!.row > N, `row ${moved!.row}: moved with the reversed order (and scrolled into view)`);
  assert.equal(await page.locator('[data-row][aria-selected="true"]').count(), 1);

  // A poll later (connections every 2 s while a view is open) it is still the one selected.
  const ts0 = await pollTs();
  await page.waitForTimeout(4500);
  const ts1 = await pollTs();
  assert.ok(ts1 > ts0, `a new poll came (${ts0} → ${ts1})`);
  assert.deepEqual(await selectedRow(page), moved);
  assert.equal(await page.locator('[data-testid="conn-gone"]').count(), 0);
  await page.close();
  assert.deepEqual(problems, []);
});

test('Home, End, Page Down and Page Up move the selection by a screenful and keep it in view', { skip: chromiumSkip }, async () => {
  const page = await open(1200);
  await sortBy(page, 'local', 'ascending');
  const grid = page.locator('[data-testid="conn-table"]');
  await grid.focus();
  const pageRows = await page.locator('[data-testid="conn-viewport"]').evaluate((v) => Math.floor(v.clientHeight / 28) - 1);
  assert.ok(pageRows > 3 && pageRows < 2 * N, `${pageRows} rows a page`);
  const inView = () => page.evaluate(() => {
    const v = document.querySelector('[data-testid="conn-viewport"]')!.getBoundingClientRect();
    const r = document.querySelector('[data-row][aria-selected="true"]')?.getBoundingClientRect();
    return !!r && r.top >= v.top - 1 && r.bottom <= v.bottom + 1;
  });
  const expect = async (row: number) => {
    await page.waitForFunction((row) => document.querySelector('[data-row][aria-selected="true"]')?.getAttribute('data-row') === String(row), row);
    assert.ok(await inView(), `row ${row} is in view`);
    assert.equal(await grid.getAttribute('aria-activedescendant'), `conn-row-${row}`);
  };
  await page.keyboard.press('End');
  await expect(2 * N);
  await page.keyboard.press('Home');
  await expect(0);
  await page.keyboard.press('PageDown');
  await expect(pageRows);
  await page.keyboard.press('PageDown');
  await expect(2 * pageRows);
  await page.keyboard.press('ArrowDown');
  await expect(2 * pageRows + 1);
  await page.keyboard.press('PageUp');
  await expect(pageRows + 1);
  await page.keyboard.press('End');
  await page.keyboard.press('PageDown');
  await expect(2 * N);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('[data-row][aria-selected="true"]'));
  await page.close();
});

test('state chips count within the filter, and a chip\'s count is what clicking it shows', { skip: chromiumSkip }, async () => {
  const page = await open(1200);
  const chips = () => page.locator('[data-testid="conn-states"] button').evaluateAll((b) => b.map((x) => x.textContent!.trim()));
  assert.deepEqual(await chips(), [`ESTAB ${2 * N}`, 'LISTEN 1']);
  // The whole machine has more established sockets (serve's own stream to this page at least).
  await page.locator('[data-testid="conn-port"]').fill('');
  await page.waitForFunction((n) => /^ESTAB /.test(document.querySelector('[data-state="ESTAB"]')?.textContent ?? '')
    && Number(document.querySelector('[data-state="ESTAB"]')!.textContent!.replace(/\D/g, '')) > n, 2 * N);
  await page.locator('[data-testid="conn-port"]').fill(String(port));
  await page.waitForFunction((n) => document.querySelector('[data-state="ESTAB"]')?.textContent?.trim() === `ESTAB ${n}`, 2 * N);
  await page.locator('[data-state="LISTEN"]').click();
  await waitCount(page, 1);
  assert.deepEqual(await chips(), [`ESTAB ${2 * N}`, 'LISTEN 1'], 'the chosen chip does not narrow the others');
  await page.close();
});

test('at 360 px the table keeps process, remote and both rates, fits without scrolling sideways, and every cell carries its full text', { skip: chromiumSkip }, async () => {
  const page = await open(360, 640);
  const grid = page.locator('[data-testid="conn-table"]');
  assert.equal(await grid.getAttribute('data-columns'), 'process remote rxBps txBps');
  const fit = await grid.evaluate((g) => ({ scroll: g.scrollWidth, client: g.clientWidth, doc: document.documentElement.scrollWidth }));
  assert.ok(fit.scroll <= fit.client && fit.doc <= 360, JSON.stringify(fit));
  // Hover text: each cell's title is its whole text (an address cut short by the column still reads in full).
  const cells = await page.locator('[data-row] [role="gridcell"]').evaluateAll((cs) => cs.map((c) => ({ title: c.getAttribute('title'), text: c.textContent!.trim() })));
  assert.ok(cells.length >= 4 * 10);
  for (const c of cells) assert.ok(c.title && c.title.startsWith(c.text.split(' ')[0]!), JSON.stringify(c));
  // At 1200 px the same table shows every column.
  await page.setViewportSize({ width: 1200, height: 640 });
  await page.waitForFunction(() => document.querySelector('[data-testid="conn-table"]')!.getAttribute('data-columns')!.split(' ').length === 11);
  await page.setViewportSize({ width: 360, height: 640 });
  // Keyboard focus shows the dropped columns: the selected row's detail has the local address and state.
  await grid.focus();
  await page.keyboard.press('Home');
  const detail = page.locator('[data-testid="conn-detail"]');
  await detail.waitFor();
  const text = await detail.innerText();
  assert.match(text, new RegExp(`127\\.0\\.0\\.1:${port}`));
  assert.match(text, /State\s+(ESTAB|LISTEN)/);
  await page.close();
  assert.deepEqual(problems, []);
});
