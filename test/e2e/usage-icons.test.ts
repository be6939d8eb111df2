/// <reference lib="dom" />
// Apps' icons in the Usage view (issue 15): an app of ours with a desktop entry (a copy of node under
// another name, Icon=nw-demo, its PNG in a temporary hicolor theme) moves known bytes; the real engine
// writes the history with a fake clock; `netwatch serve --db` answers the view, which shows the app by
// its desktop entry's name with that very image. Real Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium, startServe, type Serve } from './harness.ts';
import { nextMessage, peer } from '../integration/engine-host.ts';
import { historyEngine } from './usage-history.ts';
import { ROOT } from '../helpers.ts';

let browser: Browser;
let serve: Serve;
let page: Page;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-usage-icons-'));
const share = path.join(dir, 'share');
const png = path.join(ROOT, 'build/trayLinux.png');
const env = { XDG_DATA_DIRS: share, XDG_DATA_HOME: path.join(dir, 'none'), HOME: dir };

before(async () => {
  if (chromiumSkip) return;
  const prog = path.join(dir, 'nw-demo-app');
  fs.copyFileSync(process.execPath, prog);
  fs.chmodSync(prog, 0o755);
  fs.mkdirSync(path.join(share, 'applications'), { recursive: true });
  fs.writeFileSync(path.join(share, 'applications', 'nw-demo.desktop'), `[Desktop Entry]\nType=Application\nName=NetWatch Demo App\nIcon=nw-demo\nExec=${prog} %U\n`);
  fs.mkdirSync(path.join(share, 'icons/hicolor/32x32/apps'), { recursive: true });
  fs.copyFileSync(png, path.join(share, 'icons/hicolor/32x32/apps/nw-demo.png'));
  const db = path.join(dir, 'history.sqlite');
  const server = await peer<{ port: number }>('sink-server.ts');
  const client = await peer<{ connected: boolean }>('sized-client.ts', [String(server.first.port)], { execPath: prog });
  const received = async () => { server.child.send({ type: 'count' }); return (await nextMessage<{ received: number }>(server.child)).received; };
  let fake = Date.now() - 10 * 60_000;
  const engine = historyEngine(db, () => fake, env);
  try {
    engine.setVisible(true);
    await engine.pollAll();
    for (let m = 0; m < 3; m++) {
      const before = await received();
      client.child.send({ send: 1_000_000 });
      await nextMessage(client.child);
      while ((await received()) - before < 1_000_000) await new Promise((r) => setTimeout(r, 10));
      fake += 60_000;
      await engine.pollAll();
    }
  } finally {
    engine.stop();
    server.child.kill();
    client.child.kill();
  }
  serve = await startServe(['--no-probes', '--db', db], { env });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  // The bytes went over loopback: counted here as the user counts traffic between local programs.
  const s = await (await fetch(`${serve.base}api/settings`, { headers: serve.auth() })).json() as Record<string, unknown>;
  await fetch(`${serve.base}api/settings`, { method: 'POST', headers: { ...serve.auth(), 'Content-Type': 'application/json' }, body: JSON.stringify({ ...s, totalInterfaces: ['lo', 'eth0'] }) });
});
after(async () => { await browser?.close(); await serve?.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

test('the Usage view shows an app by its desktop entry\'s name with its icon from the theme', { skip: chromiumSkip }, async () => {
  await page.goto(`${serve.url}#/usage`);
  const row = page.locator('[data-testid="usage-table"] tbody tr', { hasText: 'NetWatch Demo App' });
  await row.waitFor();
  const src = await row.getByTestId('app-icon').getAttribute('src');
  assert.equal(src, `data:image/png;base64,${fs.readFileSync(png).toString('base64')}`, 'the PNG of the theme, byte for byte');
  assert.ok(await row.getByTestId('app-icon').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the browser decoded it');
  const sent = Number(await row.locator('td').nth(2).getAttribute('data-bytes'));
  assert.ok(sent >= 3_000_000 * 0.99, `${sent} B sent`);
  // An app without a desktop entry's icon has none (no stand-in image).
  const server = page.locator('[data-testid="usage-table"] tbody tr', { hasText: 'nwtest-server' }).first();
  await server.waitFor();
  assert.equal(await server.getByTestId('app-icon').count(), 0);
});
