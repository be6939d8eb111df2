/// <reference lib="dom" />
// Real Chromium against `netwatch serve --replay` of the demo lab (scripts/demo-recording.ts: five
// interfaces seen by the real engine in a namespace, a real `iw` Wi-Fi capture, 6 MB/s on a veth):
// the popover fits 360×520 without a scrollbar and without the dashboard's navigation; the navigation
// never takes a second row; charts expose their axes, follow the units setting and hold their scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { labSkip, useLabReplay } from './lab-replay.ts';
import { defaultSettings, VIEWS, type Settings } from '../../shared/index.ts';

const skip = labSkip;
const lab = useLabReplay(12);
const problems: string[] = [];

async function newPage(width: number, height: number, hash: string): Promise<Page> {
  const page = await lab.browser.newPage({ viewport: { width, height } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${lab.serve.url}${hash}`);
  return page;
}

const setSettings = async (s: Partial<Settings>) => {
  const r = await fetch(`${lab.serve.base}api/settings`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...lab.serve.auth() }, body: JSON.stringify({ ...defaultSettings(), ...s }) });
  assert.equal(r.status, 200, await r.text());
};

test('the popover at 360×520: five interfaces and Wi-Fi, health, top apps and the buttons, no scrollbar, no dashboard navigation', { skip }, async (t) => {
  const page = await newPage(360, 520, '#/popover');
  await page.locator('[data-testid="wifi-card"]').waitFor();
  await page.locator('[data-testid="iface-nwba"]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.mini tr[data-app]').length >= 3);
  await page.waitForTimeout(2500); // a few more frames: sparklines, probes
  // The lab's five: two busy veths listed, loopback and the two down links behind one line.
  const listed = await page.locator('[data-testid="interfaces"] button.row').evaluateAll((b) => b.map((x) => x.getAttribute('data-testid')));
  assert.deepEqual(listed, ['iface-nwba', 'iface-nwbc']);
  const more = await page.locator('[data-testid="iface-more"]').innerText();
  assert.match(more, /^3 more \(1 idle or local, 2 down\): lo, nwbr0, nwtun0$/);
  const m = await page.evaluate(() => {
    const el = document.documentElement;
    const bottom = (sel: string) => Math.max(...Array.from(document.querySelectorAll(sel)).map((e) => e.getBoundingClientRect().bottom));
    const nav = document.querySelector('[data-testid="nav"]');
    return {
      scrollH: el.scrollHeight, clientH: el.clientHeight, scrollW: el.scrollWidth, clientW: el.clientWidth,
      buttons: bottom('.buttons button'), apps: bottom('.mini tr'), wifi: bottom('[data-testid="wifi-card"]'),
      nav: nav ? getComputedStyle(nav.parentElement!).display : 'absent',
      labels: Array.from(document.querySelectorAll('.buttons button')).map((b) => b.textContent),
      clipped: Array.from(document.querySelectorAll('.buttons button')).filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.textContent),
    };
  });
  assert.ok(m.scrollH <= m.clientH && m.scrollW <= m.clientW, `no scrollbar: content ${m.scrollW}×${m.scrollH} in ${m.clientW}×${m.clientH}`);
  for (const [what, y] of [['buttons', m.buttons], ['top apps', m.apps], ['Wi-Fi card', m.wifi]] as const) assert.ok(y <= 520, `${what} end at ${y} px, above the fold`);
  assert.equal(m.nav, 'none', 'no dashboard navigation at popover size');
  t.diagnostic(`content ends at ${m.buttons.toFixed(0)} px of 520 (${m.apps.toFixed(0)} px after the apps)`);
  assert.deepEqual(m.labels, ['Apps', 'Connections', 'Usage', 'DNS', 'Alerts', 'System', 'Settings']);
  assert.ok(m.clipped.length === 0, `button labels cut off: ${m.clipped.join(', ')}`);
  // Gateway health says which probe timed it (ping here; TCP or a DNS query where ICMP is refused).
  assert.match(await page.locator('[data-testid="gateway"]').innerText(), /^[\d.]+ ms · [\d.]+ % loss · (ping|TCP|DNS query)$/);
  // Unfolded, the other three are there with their state.
  await page.locator('[data-testid="iface-more"]').click();
  assert.equal(await page.locator('[data-testid="iface-nwtun0"]').getAttribute('data-type'), 'Virtual');
  assert.match(await page.locator('[data-testid="iface-nwbr0"]').innerText(), /bridge · down/);
  // A button opens its view through the Bridge (in the dashboard: a route).
  await page.locator('.buttons button', { hasText: 'Apps' }).click();
  await page.waitForURL(/#\/processes$/);
  await page.close();
  assert.deepEqual(problems, []);
});

test('the dashboard navigation stays on one row at every width; what does not fit is in the More menu', { skip }, async () => {
  const page = await newPage(1200, 800, '#/interface/nwba');
  await page.locator('[data-testid="nav"] a').first().waitFor();
  for (const width of [1200, 700, 480, 360]) {
    await page.setViewportSize({ width, height: 800 });
    await page.waitForTimeout(150);
    const r = await page.evaluate(() => {
      const nav = document.querySelector('[data-testid="nav"]') as HTMLElement;
      const items = Array.from(nav.querySelectorAll(':scope > .brand, :scope > .links a, [data-testid="nav-more"]')) as HTMLElement[];
      // One row: every item's box overlaps every other's vertically.
      const boxes = items.map((e) => e.getBoundingClientRect());
      const oneRow = Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
      return { rows: oneRow ? 1 : 2, height: nav.offsetHeight, links: nav.querySelectorAll('.links a').length, more: !!nav.querySelector('[data-testid="nav-more"]'), overflow: nav.scrollWidth > nav.clientWidth };
    });
    assert.equal(r.rows, 1, `${width} px: one row (${JSON.stringify(r)})`);
    assert.ok(r.height < 48, `${width} px: ${r.height} px tall`);
    assert.equal(r.overflow, false, `${width} px: nothing cut off`);
    if (width === 1200) assert.deepEqual([r.links, r.more], [VIEWS.length, false], 'wide: every link, no menu');
    if (width === 360) {
      assert.ok(r.more && r.links < VIEWS.length, `narrow: ${r.links} links and a menu`);
      // Every view stays reachable: the menu holds the rest.
      await page.locator('[data-testid="nav-more"]').click();
      const inMenu = await page.locator('[data-testid="nav-menu"] a').count();
      assert.equal(r.links + inMenu, VIEWS.length);
      await page.locator('[data-testid="nav-menu"] a', { hasText: 'Settings' }).click();
      await page.waitForURL(/#\/settings$/);
      assert.match(await page.locator('[data-testid="nav-more"]').innerText(), /Settings/, 'the menu button names the current view');
    }
  }
  await page.close();
  assert.deepEqual(problems, []);
});

test('charts expose a relative time axis and y ticks in the user\'s units; the scale holds still; 5 min says what is known', { skip }, async () => {
  const page = await newPage(1200, 800, '#/popover');
  const chart = page.locator('[data-testid="chart"]').first();
  await page.waitForFunction(() => /B\/s$/.test(document.querySelector('[data-testid="chart"]')?.getAttribute('data-y-ticks') ?? ''));
  assert.equal(await chart.getAttribute('data-x-ticks'), '−60 s|−45 s|−30 s|−15 s|now');
  // 6 MB/s of upload: a nice maximum above it, in three ticks.
  const yTicks = async () => (await chart.getAttribute('data-y-ticks'))!;
  assert.match(await yTicks(), /^0 B\/s\|\d\.\d\d MB\/s\|\d\.\d\d MB\/s$/);
  // The tooltip gives the sample's wall time and both lines' values.
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width - 30, box.y + box.height / 2, { steps: 3 });
  await page.waitForFunction(() => !!document.querySelector('[data-testid="chart"]')?.getAttribute('data-tooltip'));
  assert.match(await chart.getAttribute('data-tooltip') ?? '', /^\d{1,2}:\d\d:\d\d( [AP]M)? · Download: [\d.]+ k?B\/s · Upload: \d\.\d\d MB\/s$/);
  await page.mouse.move(0, 0);
  const seen = new Set<string>();
  for (let k = 0; k < 6; k++) { seen.add(await yTicks()); await page.waitForTimeout(700); }
  assert.equal(seen.size, 1, `the y-scale held for 4 s of a steady rate: ${[...seen].join(' / ')}`);

  // Units follow the settings: bits (nice in Mbit/s), then back. (Saved through the API, so the page
  // reads them on load: a dashboard page hears of its own saves only.)
  await setSettings({ units: 'bits' });
  try {
    await page.reload();
    await page.waitForFunction(() => /Mbit\/s$/.test(document.querySelector('[data-testid="chart"]')?.getAttribute('data-y-ticks') ?? ''), undefined, { timeout: 10_000 });
    assert.match(await yTicks(), /^0 bit\/s\|\d+(\.\d+)? Mbit\/s\|\d+(\.\d+)? Mbit\/s$/);
  } finally {
    await setSettings({});
  }

  // The interface view, after a fresh load: 5 minutes are drawn to scale and say since when data is held.
  await page.goto(`${lab.serve.url}#/interface/nwba`);
  await page.locator('[data-testid="chart"]').waitFor();
  await page.getByRole('radio', { name: '5 min', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="chart"]')?.getAttribute('data-x-ticks') === '−5 min|−4 min|−3 min|−2 min|−1 min|now');
  const note = await page.locator('[data-testid="collecting"]').innerText();
  assert.match(note, /^Collecting since \d{1,2}:\d\d:\d\d( [AP]M)?: \d+ s of 5 min known\./);
  assert.match(await page.locator('[data-testid="chart"]').getAttribute('aria-label') ?? '', /of the 5 min window/);
  await page.getByRole('radio', { name: '15 min', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="chart"]')?.getAttribute('data-x-ticks') === '−15 min|−10 min|−5 min|now');
  // The legend names both lines.
  assert.deepEqual(await page.locator('.legend .key').allInnerTexts(), ['Download', 'Upload']);
  // A route to an interface the system does not report says so, and shows one it does.
  await page.goto(`${lab.serve.url}#/interface/gone0`);
  assert.match(await page.locator('[data-testid="iface-missing"]').innerText(), /^gone0 is not reported by the system \(removed or renamed\); showing lo\.$/);
  await page.close();
  assert.deepEqual(problems, []);
});

test('before the first snapshot the popover and the interface view show placeholders and say they are waiting', { skip }, async () => {
  for (const hash of ['#/popover', '#/interface/nwba']) {
    const page = await lab.browser.newPage({ viewport: { width: 360, height: 520 } });
    // Hold the snapshot stream back for 3 s: what the page shows until the engine's first snapshot.
    await page.route('**/api/stream**', async (r) => { await new Promise((d) => setTimeout(d, 3000)); await r.continue(); });
    await page.goto(`${lab.serve.url}${hash}`);
    await page.locator('[data-testid="placeholder"]').waitFor();
    assert.match(await page.locator('[data-testid="view"]').innerText(), /Waiting for the engine…/);
    await page.locator('[data-testid="placeholder"]').waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator('[data-testid="chart"]').waitFor();
    await page.close();
  }
});
