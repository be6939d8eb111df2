/// <reference lib="dom" />
// The desktop app itself, through Playwright's Electron driver: where the Electron binary exists it
// starts the app with --open=connections and checks the window is the hardened renderer fed by the
// collector. Electron ≥ 42 downloads its binary on first run; where that cannot happen (this VM has no
// network), the test says so and skips — it never passes without running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
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

interface Hooks { hasTray(): boolean; notify(alerts: unknown[]): void }

test('launch: tray exists, the popover opens and shows a snapshot, a simulated alert produces a notification', { skip, timeout: 60_000 }, async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/start.js'), '--build-only'], { cwd: ROOT, stdio: 'ignore' });
  // Its own user data folder: not the real settings, and not the single-instance lock of a NetWatch the
  // developer may be running (a second instance would quit at once). Probes off through the settings
  // file: main builds the collector's NETWATCH_CONFIG from the settings, so an env var would be replaced.
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-smoke-'));
  fs.writeFileSync(path.join(userData, 'settings.json'), JSON.stringify({ probes: false }));
  const app = await _electron.launch({
    executablePath: binary!, args: [ROOT, '--open=popover'],
    env: { ...process.env, NETWATCH_TEST: '1', NETWATCH_USER_DATA: userData },
  });
  try {
    const win = await app.firstWindow();
    assert.match(win.url(), /^app:\/\/netwatch\/index\.html#\/popover/);
    assert.equal(await app.evaluate(() => ((globalThis as unknown as { __netwatchTest: Hooks }).__netwatchTest).hasTray()), true);
    // A snapshot arrived through the preload bridge: lo is listed with its type (behind the popover's
    // "n more" line, where loopback is folded).
    await win.locator('[data-testid="iface-more"]').click({ timeout: 20_000 });
    await win.locator('[data-testid="iface-lo"][data-type="Loopback"]').waitFor({ timeout: 20_000 });
    // The page sees the bridge and nothing of Node or Electron.
    assert.deepEqual(await win.evaluate(() => Object.keys((window as unknown as { netwatch: object }).netwatch).sort()),
      ['getSettings', 'onLink', 'onSettings', 'onSnapshot', 'openView', 'queryConnections', 'setSettings']);
    // The settings file of this run was read: probes are off.
    assert.equal(await win.evaluate(() => (window as unknown as { netwatch: { getSettings(): Promise<{ probes: boolean }> } }).netwatch.getSettings().then((x) => x.probes)), false);
    assert.equal(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
    assert.equal(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process), 'undefined');
    assert.equal(await win.evaluate(() => window.open('app://netwatch/index.html')), null, 'window.open is denied');
    const csp = await win.evaluate(() => fetch('app://netwatch/index.html').then((r) => r.headers.get('content-security-policy')));
    assert.match(csp ?? '', /default-src 'none'; script-src 'self'/);
    // A simulated alert goes through the notification gate to Notification.show.
    const shown = await app.evaluate(({ Notification }) => {
      const calls: string[] = [];
      Notification.prototype.show = function (this: Electron.Notification) { calls.push(this.title); };
      Notification.isSupported = () => true; // no notification daemon under xvfb; the call is what is tested
      (globalThis as unknown as { __netwatchTest: Hooks }).__netwatchTest.notify([{
        id: 'smoke-1', key: 'bandwidth:eth0:rx', category: 'bandwidth', severity: 'warning', title: 'High download on eth0',
        detail: '60.0 MB/s received for 2 samples (threshold 50.0 MB/s)', firstTs: Date.now(), lastTs: Date.now(), active: true, value: 6e7, threshold: 5e7,
      }]);
      return calls;
    });
    assert.equal(shown.length, 1);
  } finally {
    await app.close();
    fs.rmSync(userData, { recursive: true, force: true });
  }
});
