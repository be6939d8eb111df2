/// <reference lib="dom" />
// The desktop app itself, through Playwright's Electron driver: where the Electron binary exists it
// starts the app with --open=connections and checks the window is the hardened renderer fed by the
// collector. Electron ≥ 42 downloads its binary on first run; where that cannot happen (this VM has no
// network), the test says so and skips — it never passes without running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { _electron } from 'playwright-core';
import { ROOT } from '../helpers.ts';

function electronBinary(): string | null {
  const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const bin = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}
const binary = electronBinary();
const needsDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
const skip = !binary ? 'no Electron binary here (Electron downloads it on first run; this machine has no network)'
  : needsDisplay ? 'no display (run under xvfb-run)' : false;

test('the app opens a sandboxed window that shows live connections through the preload bridge', { skip, timeout: 60_000 }, async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-collector.js')], { cwd: ROOT, stdio: 'ignore' });
  const app = await _electron.launch({ executablePath: binary!, args: [ROOT, '--open=connections'], env: { ...process.env, NETWATCH_CONFIG: JSON.stringify({ probes: false }) } });
  try {
    const win = await app.firstWindow();
    assert.match(win.url(), /^app:\/\/netwatch\/index\.html#\/connections/);
    await win.locator('[data-testid="conn-count"]').waitFor();
    await win.waitForFunction(() => !/^0 of/.test(document.querySelector('[data-testid="conn-count"]')!.textContent!));
    // The page sees the bridge and nothing of Node or Electron.
    assert.deepEqual(await win.evaluate(() => Object.keys((window as unknown as { netwatch: object }).netwatch).sort()), ['getSettings', 'onLink', 'onSnapshot', 'openView', 'queryConnections', 'setSettings']);
    assert.equal(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
    assert.equal(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process), 'undefined');
    assert.equal(await win.evaluate(() => window.open('app://netwatch/index.html')), null, 'window.open is denied');
    const csp = await win.evaluate(() => fetch('app://netwatch/index.html').then((r) => r.headers.get('content-security-policy')));
    assert.match(csp ?? '', /default-src 'none'; script-src 'self'/);
    // No window but ours: the popover and this one at most.
    assert.ok((await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)) <= 2);
  } finally {
    await app.close();
  }
});
