/// <reference lib="dom" />
// Real Chromium against `netwatch serve` with the live engine, both inside a network namespace this
// test makes (A, with host B over a veth running dnsmasq and a server): the Processes view lists the
// client app's remote host with the name DNS gave it, and the service table the port accounted apart
// (set in the dashboard's settings), each with the bytes the test moved. No packet leaves A and B.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumInNamespace, chromiumSkip } from './harness.ts';
import { ROOT } from '../helpers.ts';
import { nextMessage } from '../integration/engine-host.ts';
import { Lab, labSkip } from '../integration/capture-lab.ts';

const A = `nwce${process.pid}a`, B = `nwce${process.pid}b`;
const A_IP = '10.213.80.2', B_IP = '10.213.80.1';
const skip = chromiumSkip || labSkip(['dnsmasq', 'dig']);

let lab: Lab | undefined;
let browser: Browser | undefined;
let page: Page;
let base = '';
const problems: string[] = [];

const peerIn = (ns: string, ...args: Array<string | number>) => lab!.peer(ns, ...args);

before(async () => {
  if (skip) return;
  lab = new Lab(A, B);
  lab.veth([A, 'nwceab', `${A_IP}/24`], [B, 'nwceba', `${B_IP}/24`]);
  await lab.dnsmasq(B, B_IP, [`address=/files.nw.test/${B_IP}`]);
  // The dashboard and its engine in A; Chromium in A too (its own loopback), through a wrapper.
  const serve = spawn('ip', ['netns', 'exec', A, process.execPath, path.join(ROOT, 'bin', 'netwatch.js'), 'serve', '--port', '0', '--no-probes'],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NETWATCH_TOKEN: 'e2e-capture-token' } });
  lab.children.push(serve);
  base = await new Promise<string>((res) => { let out = ''; serve.stdout!.on('data', (d: Buffer) => { out += d.toString(); const m = out.match(/(https?:\/\/\S+?:\d+\/)/); if (m) res(m[1]!); }); });
  ({ browser, page } = await chromiumInNamespace(A, lab.tmp(), problems));
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  lab?.cleanup();
});

test('Processes: the app\'s remote host with its DNS name, and the service table of a port accounted apart', { skip }, async () => {
  // Port 9981 accounted apart, through the dashboard's settings as a person would save them.
  await page.goto(`${base}?token=e2e-capture-token#/processes`);
  const saved = await page.evaluate(async (token) => {
    const h = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const s = await (await fetch('/api/settings', { headers: h })).json();
    return (await fetch('/api/settings', { method: 'POST', headers: h, body: JSON.stringify({ ...s, accountPorts: [9981] }) })).json();
  }, 'e2e-capture-token');
  assert.equal(saved.ok, true, JSON.stringify(saved));
  await page.locator('[data-testid="capture-stats"]').waitFor({ timeout: 20_000 });

  execFileSync('ip', ['netns', 'exec', A, 'dig', `@${B_IP}`, '+short', '+tries=1', 'files.nw.test'], { stdio: 'ignore' });
  await peerIn(B, 'tcp-server', B_IP, 7001, 0);
  await peerIn(A, 'tcp-server', '0.0.0.0', 9981, 300_000);
  const up = await peerIn(A, 'tcp-client', B_IP, 7001, 2_000_000, 1500);
  const client = await peerIn(B, 'tcp-client', A_IP, 9981, 1_000_000, 1500);
  await page.waitForTimeout(2500); // the sockets listed in a poll before the bytes move
  const done = [nextMessage<{ sent: number }>(up), nextMessage<{ sent: number }>(client)];
  up.send({ go: true });
  client.send({ go: true });
  await Promise.all(done);

  const figures = () => page.locator('[data-testid="capture-figures"]').evaluate((e) => { e.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')); return (e as HTMLElement).innerText; });
  // The host row of B, named from the answer dig got. Both peers in A are one app (service-peer.ts): to B
  // it sent 2 MB as a client and 300 kB as the 9981 server, and got the 1 MB B's client uploaded.
  const host = page.locator(`[data-testid="host-row"][data-address="${B_IP}"]`).first();
  await page.waitForFunction((ip) => Array.from(document.querySelectorAll(`[data-testid="host-row"][data-address="${ip}"] [data-testid="host-tx"]`), (e) => e.textContent!.trim()).includes('2.30 MB'), B_IP, { timeout: 20_000 }).catch(async (e) => { throw new Error(`${(e as Error).message}; the view shows: ${await figures()}`); });
  await host.evaluate((r) => r.closest('details')!.setAttribute('open', ''));
  assert.equal((await host.locator('[data-testid="host-names"]').innerText()).trim(), 'files.nw.test');
  assert.equal((await host.locator('[data-testid="host-rx"]').innerText()).trim(), '1.00 MB');
  // The service row: 9981/tcp served here to B, 1 MB received and 300 kB sent.
  const row = page.locator(`[data-testid="service-row"][data-port="9981"][data-protocol="tcp"][data-peer="${B_IP}"]`);
  await page.waitForFunction((ip) => /^1\.00 MB$/.test(document.querySelector(`[data-testid="service-row"][data-port="9981"][data-protocol="tcp"][data-peer="${ip}"] [data-testid="service-rx"]`)?.textContent?.trim() ?? ''), B_IP, { timeout: 20_000 });
  assert.equal((await row.locator('[data-testid="service-tx"]').innerText()).trim(), '300 kB');
  assert.deepEqual(problems, []);
});
