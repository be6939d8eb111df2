/// <reference lib="dom" />
// Real Chromium against `netwatch serve` with the live engine and the packet capture, in a network
// namespace this test makes (A, with host B over a veth running dnsmasq and a server): the DNS view
// shows the lookups dig made (NXDOMAIN among them, the answer-time histogram, the top domain); a
// first connection of an app to B raises exactly one new-app alert, explained in the Alerts view with
// its evidence; after a restart of serve the same app connecting again raises none. No packet leaves A and B.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumInNamespace, chromiumSkip, pageSnapshotWhere } from './harness.ts';
import { ROOT } from '../helpers.ts';
import { nextMessage } from '../integration/engine-host.ts';
import { Lab, labSkip } from '../integration/capture-lab.ts';
import type { Snapshot } from '../../shared/index.ts';

const A = `nwdx${process.pid}a`, B = `nwdx${process.pid}b`;
const A_IP = '10.213.84.2', B_IP = '10.213.84.1';
const TOKEN = 'e2e-dns-alerts-token';
const skip = chromiumSkip || labSkip(['dnsmasq', 'dig']);

let lab: Lab | undefined;
let browser: Browser | undefined;
let page: Page;
let base = '';
let stopServe: (() => Promise<void>) | null = null;
const problems: string[] = [];
let db = '';

/** serve in A (its history and learned apps in the lab's folder); resolves with its base URL. */
async function serve(): Promise<string> {
  const child = spawn('ip', ['netns', 'exec', A, process.execPath, path.join(ROOT, 'bin', 'netwatch.js'), 'serve', '--port', '0', '--no-probes', '--db', db],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NETWATCH_TOKEN: TOKEN, XDG_CONFIG_HOME: path.join(lab!.tmp(), 'config') } });
  stopServe = () => new Promise((r) => { if (child.exitCode !== null) return r(); child.once('exit', () => r()); child.kill('SIGTERM'); });
  return new Promise<string>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); const m = out.match(/(https?:\/\/\S+?:\d+\/)/); if (m) res(m[1]!); });
    child.once('exit', (c) => rej(new Error(`netwatch serve exited ${c}`)));
  });
}

const snapshotWhere = (pred: string) => pageSnapshotWhere<Snapshot>(page, base, pred);

before(async () => {
  if (skip) return;
  lab = new Lab(A, B);
  lab.veth([A, 'nwdxab', `${A_IP}/24`], [B, 'nwdxba', `${B_IP}/24`]);
  await lab.dnsmasq(B, B_IP, [`address=/files.nw.test/${B_IP}`]);
  db = path.join(lab.tmp(), 'history.sqlite');
  // Not a first run: the learning window of an earlier run is long over, so a new app alerts at once.
  fs.writeFileSync(path.join(lab.tmp(), 'known-apps.json'), JSON.stringify({ version: 1, since: Date.now() - 3_600_000, apps: [] }));
  base = await serve();
  ({ browser, page } = await chromiumInNamespace(A, lab.tmp(), problems));
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  await stopServe?.();
  lab?.cleanup();
});

test('DNS view: the lookups dig made, NXDOMAIN among them, the answer-time histogram and the top domain', { skip }, async () => {
  await page.goto(`${base}?token=${TOKEN}#/dns`);
  await page.locator('[data-testid="dns-totals"]').waitFor({ timeout: 30_000 });
  const names = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? `missing${i}.nw.test` : `h${i}.files.nw.test`));
  fs.writeFileSync(path.join(lab!.tmp(), 'names'), names.map((n) => `${n} A`).join('\n') + '\n');
  execFileSync('ip', ['netns', 'exec', A, 'dig', `@${B_IP}`, '+tries=1', '+time=2', '+noall', '-f', path.join(lab!.tmp(), 'names')], { stdio: 'ignore' });
  const s = await snapshotWhere('(s.dns?.responses ?? 0) >= 30');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="dns-queries"]')!.textContent!.replace(/\D/g, '')) >= n, s.dns!.queries, { timeout: 10_000 });
  const num = async (id: string) => Number((await page.locator(`[data-testid="${id}"]`).innerText()).split(' ')[0]!.replace(/\D/g, ''));
  assert.ok(await num('dns-queries') >= 30);
  assert.ok(await num('dns-nxdomain') >= 10, 'the ten missing names');
  const buckets = (await page.locator('[data-testid="dns-bucket-count"]').allInnerTexts()).map((t) => Number(t.replace(/\D/g, '')));
  assert.equal(buckets.length, 8);
  assert.deepEqual(await page.locator('[data-testid="dns-bucket"] th').allInnerTexts(), ['< 5 ms', '< 10 ms', '< 25 ms', '< 50 ms', '< 100 ms', '< 250 ms', '< 500 ms', '≥ 500 ms']);
  assert.ok(buckets.reduce((a, b) => a + b, 0) >= 30, `every answer matched to its query: ${buckets.join(' ')}`);
  const top = page.locator('[data-testid="dns-domain"][data-domain="nw.test"]');
  await top.waitFor();
  assert.ok(Number((await top.locator('td').nth(1).innerText()).replace(/\D/g, '')) >= 30);
  // Reachable from the popover's buttons too.
  await page.goto(`${base}?token=${TOKEN}#/popover`);
  await page.getByRole('button', { name: 'DNS', exact: true }).click();
  await page.waitForURL(/#\/dns$/);
});

test('a first connection of an app: exactly one new-app alert, explained with its evidence; none after a restart', { skip }, async () => {
  await lab!.peer(B, 'tcp-server', B_IP, 7101, 0);
  const connect = async () => {
    const c = await lab!.peer(A, 'tcp-client', B_IP, 7101, 200_000, 4000);
    c.send({ go: true });
    await nextMessage(c);
    return c;
  };
  const first = await connect();
  const s = await snapshotWhere(`s.alerts.active.some((a) => a.category === 'new-app' && a.evidence?.app && s.apps.some((p) => p.id === a.evidence.app.id && p.pids.includes(${first.pid})))`);
  const app = s.apps.find((p) => p.pids.includes(first.pid!))!;
  const mine = s.alerts.active.filter((a) => a.category === 'new-app' && a.evidence?.app?.id === app.id);
  assert.equal(mine.length, 1);
  assert.deepEqual(mine[0]!.evidence, { app: { id: app.id, name: app.app }, destination: B_IP });
  await page.goto(`${base}?token=${TOKEN}#/alerts`);
  const card = page.locator(`[data-testid="alert"][data-id="${mine[0]!.id}"]`);
  await card.waitFor({ timeout: 10_000 });
  assert.equal(await card.locator('[data-testid="alert-what"]').innerText(), `${app.app} used the network for the first time since NetWatch watches this computer, talking to ${B_IP}.`);
  assert.match(await card.locator('[data-testid="alert-todo"]').innerText(), /^What to do: If you just installed or started .+, nothing to do; if you do not recognise it, look it up in Apps and remove it\./);
  assert.equal(await card.locator('[data-testid="alert-evidence"] [data-field="destination"] dd').innerText(), B_IP);
  assert.equal(await card.locator('[data-testid="alert-evidence"] [data-field="app"] dd').innerText(), `${app.app} (${app.id})`);
  first.kill();
  const known = JSON.parse(fs.readFileSync(path.join(lab!.tmp(), 'known-apps.json'), 'utf8'));
  assert.ok(known.apps.some((a: { id: string }) => a.id === app.id), 'learned on disk');

  // A second run of the same app after a restart of the engine: no alert.
  await page.goto('about:blank');
  await stopServe!();
  base = await serve();
  await page.goto(`${base}?token=${TOKEN}#/alerts`);
  const second = await connect();
  const later = await snapshotWhere(`s.connectionsTs !== null && s.apps.some((p) => p.pids.includes(${second.pid}) && p.connections > 0)`);
  // Two more polls after the app was listed: the detector has seen it.
  const after2 = await snapshotWhere(`s.connectionsTs > ${later.connectionsTs} + 2000`);
  assert.equal([...after2.alerts.active, ...after2.alerts.history].filter((a) => a.category === 'new-app' && a.evidence?.app?.id === app.id).length, 0);
  second.kill();
  assert.deepEqual(problems, []);
});
