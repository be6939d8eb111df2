/// <reference lib="dom" />
// Apps named the way a person knows them, in real Chromium against `netwatch serve` and the live engine:
// a `node server.js`, a `python3 -m http.server`, and a program with a desktop entry (a real .desktop
// file in a temporary XDG_DATA_DIRS, read by the engine the way a desktop's menu reads it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium, startServe, type Serve } from './harness.ts';

let serve: Serve;
let browser: Browser;
let page: Page;
const kids: ChildProcess[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-e2e-apps-'));
let python = true;

/** Starts a program that listens on loopback and prints once it does. */
function listener(cmd: string, args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    kids.push(c);
    c.once('error', reject);
    const ready = (d: Buffer) => { if (/listening|Serving HTTP/.test(d.toString())) resolve(c); };
    c.stdout!.on('data', ready);
    c.stderr!.on('data', ready);
  });
}

before(async () => {
  if (chromiumSkip) return;
  const script = "require('net').createServer(()=>{}).listen(0,'127.0.0.1',()=>console.log('listening'))";
  fs.writeFileSync(path.join(dir, 'server.js'), script);
  // "Its own program": a copy of node under another name, with a desktop entry that runs it.
  const prog = path.join(dir, 'nw-demo-app');
  fs.copyFileSync(process.execPath, prog);
  fs.chmodSync(prog, 0o755);
  fs.mkdirSync(path.join(dir, 'share', 'applications'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'share', 'applications', 'nw-demo.desktop'), `[Desktop Entry]\nType=Application\nName=NetWatch Demo App\nIcon=nw-demo\nExec=${prog} %U\n`);
  await listener(process.execPath, [path.join(dir, 'server.js')]);
  await listener(prog, [path.join(dir, 'server.js')]);
  try { await listener('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1']); } catch { python = false; }
  // The engine (serve's child) reads desktop entries from here.
  serve = await startServe(['--no-probes'], { env: { XDG_DATA_DIRS: path.join(dir, 'share'), XDG_DATA_HOME: path.join(dir, 'none') } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
});
after(async () => {
  for (const k of kids) k.kill();
  await browser?.close();
  await serve?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('Processes lists apps by name: node server.js, python3 -m http.server, a desktop entry\'s Name; NetWatch marked as itself', { skip: chromiumSkip }, async (t) => {
  await page.goto(`${serve.url}#/processes`);
  const names = page.locator('[data-testid="processes-table"] [data-testid="app-name"]');
  await page.locator('[data-testid="app-name"]', { hasText: 'NetWatch Demo App' }).waitFor({ timeout: 20_000 });
  const all = await names.allInnerTexts();
  t.diagnostic(`apps shown: ${all.join(', ')}`);
  assert.ok(all.includes('node server.js'), 'node server.js');
  if (python) assert.ok(all.some((n) => /^python3(\.\d+)? -m http\.server$/.test(n)), 'python3 -m http.server');
  else t.diagnostic('python3 not installed: that case not checked');
  assert.ok(all.includes('NetWatch Demo App'));
  // NetWatch's own processes (serve and its engine) carry the mark; the others do not.
  const selfRows = page.locator('[data-testid="processes-table"] tr.self');
  assert.ok(await selfRows.count() >= 1, 'NetWatch marked');
  assert.equal(await page.locator('tr.self [data-testid="app-name"]', { hasText: 'NetWatch Demo App' }).count(), 0);
});
