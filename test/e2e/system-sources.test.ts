/// <reference lib="dom" />
// Real Chromium on the System view against the live engine: the kernel's TCP counters (failed attempts
// we cause ourselves, read back against /proc/net/snmp), CPU/memory/load against /proc, disks, and every
// source's state. As uid 65534 the processes source says why root's sockets have no owner, and the
// Processes view links that reason to the Sources panel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium, startServe, type Serve } from './harness.ts';
import { unprivilegedProblem } from '../helpers.ts';
import { SOURCE_NAMES, formatBytes } from '../../shared/index.ts';

let browser: Browser;
const serves: Serve[] = [];
const pages: Page[] = [];
const problems: string[] = [];
const root = process.getuid?.() === 0;
/** The unprivileged test's skip: no Chromium, not root, or uid 65534 cannot enter this checkout. */
const skip = chromiumSkip || (!root ? 'needs root to switch to uid 65534' : unprivilegedProblem() ?? false);

before(async () => {
  if (chromiumSkip) return;
  browser = await launchChromium();
});
after(async () => { await browser?.close(); for (const s of serves) await s.stop(); });

async function open(serve: Serve, hash: string, width = 1200): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  pages.push(page);
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${serve.url}${hash}`);
  return page;
}
/** A field of the kernel's Tcp line in /proc/net/snmp. */
const snmp = (field: string): number => {
  const lines = fs.readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Tcp:'));
  const names = lines[0]!.split(/\s+/), values = lines[1]!.split(/\s+/);
  return Number(values[names.indexOf(field)]);
};
const sinceBoot = (text: string) => Number(text.match(/([\d,]+) since boot/)![1]!.replace(/,/g, ''));

test('the System view shows the kernel TCP counters, CPU, memory, load and disks as /proc has them', { skip: chromiumSkip }, async () => {
  const serve = await startServe(['--no-probes']);
  serves.push(serve);
  const page = await open(serve, '#/system');
  await page.locator('[data-testid="tcp-fails"]').waitFor({ timeout: 20_000 });
  // Five connects to a closed loopback port: five failed attempts the counter must show.
  const closed = net.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const before = snmp('AttemptFails');
  for (let k = 0; k < 5; k++) await new Promise<void>((r) => net.connect(port, '127.0.0.1').on('error', () => r()));
  await page.waitForFunction((n) => {
    const m = document.querySelector('[data-testid="tcp-fails"]')?.textContent?.match(/([\d,]+) since boot/);
    return !!m && Number(m[1]!.replace(/,/g, '')) >= n;
  }, before + 5, { timeout: 20_000 });
  const fails = sinceBoot(await page.locator('[data-testid="tcp-fails"]').innerText());
  assert.ok(fails >= before + 5 && fails <= snmp('AttemptFails'), `${before} → shown ${fails}`);
  assert.match(await page.locator('[data-testid="tcp-retrans"]').innerText(), /^\d+(\.\d)? % of segments sent \([\d.,]+\/s\)$/);
  assert.match(await page.locator('[data-testid="tcp-error"]').innerText(), /^\d+(\.\d)? % of opens failed or reset$/);
  assert.ok(sinceBoot(await page.locator('[data-testid="tcp-resets"]').innerText()) <= snmp('EstabResets'));

  await page.locator('[data-testid="sys-cpu"]').waitFor({ timeout: 20_000 });
  assert.match(await page.locator('[data-testid="sys-cpu"]').innerText(), new RegExp(`busy over ${os.cpus().length} cores$`));
  const memTotal = Number(fs.readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+) kB/m)![1]) * 1024;
  assert.match(await page.locator('[data-testid="sys-mem"]').innerText(), new RegExp(` of ${formatBytes(memTotal).replace('.', '\\.')} used`));
  const load = (await page.locator('[data-testid="sys-load"]').innerText()).match(/^([\d.]+) · ([\d.]+) · ([\d.]+) \(1, 5, 15 min\)$/);
  assert.ok(load, 'three load averages');
  assert.ok(Math.abs(Number(load[3]) - os.loadavg()[2]!) < 1, `15-min load ${load[3]} vs ${os.loadavg()[2]}`);
  // Disks come every 30 s; the first read is at start.
  await page.locator('[data-testid="disk"]').first().waitFor({ timeout: 40_000 });
  const disk = await page.locator('[data-testid="disk"]').first().innerText();
  assert.match(disk, /\d+(\.\d+)? [kMGT]?B \(\d+(\.\d)? %\)/, `used and its share: ${disk}`);
  // Every source has a row with its state; as root, processes and TCP counters are ok.
  for (const n of SOURCE_NAMES) await page.locator(`[data-testid="source-${n}"]`).waitFor();
  assert.equal(await page.locator('[data-testid="source-tcpMetrics"]').getAttribute('data-state'), 'ok');
  assert.equal(await page.locator('[data-testid="source-processes"]').getAttribute('data-state'), 'ok');
  // Probes are off: the gateway row says so rather than "ok".
  assert.match(await page.locator('[data-testid="source-gateway"]').innerText(), /unavailable\s+probes turned off in settings|ok/);
  assert.deepEqual(problems, []);
});

test('unprivileged: Processes says why root\'s sockets have no owner, and its link opens that source in Sources', { skip }, async () => {
  // A socket of ours (root's): uid 65534 sees it but may not look into our /proc/<pid>/fd.
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  try {
    const serve = await startServe(['--no-probes'], { uid: 65534, gid: 65534 });
    serves.push(serve);
    const page = await open(serve, '#/processes', 900);
    const note = page.locator('[data-testid="source-note"][data-source="processes"]');
    // The first snapshots come before the first connection poll ("not read yet").
    await page.waitForFunction(() => /sockets belong/.test(document.querySelector('[data-testid="source-note"][data-source="processes"]')?.textContent ?? ''), null, { timeout: 20_000 });
    const text = await note.innerText();
    assert.match(text, /^Processes: \d+ sockets belong to processes we may not inspect .*run as root to see them\. See Sources$/);
    await note.locator('a').click();
    await page.waitForURL(/#\/system\/processes$/);
    const row = page.locator('[data-testid="source-processes"][aria-current="true"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'unavailable');
    assert.match(await row.innerText(), /sockets belong to processes we may not inspect/);
    assert.deepEqual(problems, []);
  } finally {
    client.destroy();
    server.close();
  }
});
