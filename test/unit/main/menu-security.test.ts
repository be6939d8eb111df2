import { test } from 'node:test';
import assert from 'node:assert/strict';
import { menuTemplate } from '../../../electron/main/menu.ts';
import { appPath, CSP, isAppUrl, webPreferences } from '../../../electron/main/security.ts';

const text = { title: '↓1.20 MB/s ↑34.0 kB/s', tooltip: '' };
const labels = (items: ReturnType<typeof menuTemplate>) => items.map((i) => (i.type === 'separator' ? '—' : i.label));

test('tray menu: views, pause/resume, launch at login, quit; Linux shows the speeds on top', () => {
  assert.deepEqual(labels(menuTemplate({ paused: false, launchAtLogin: true, platform: 'darwin', text, windows: true })), [
    'Open NetWatch', '—', 'Interfaces…', 'Processes…', 'Connections…', 'Alerts…', 'System…', 'Settings…', '—',
    'Pause Monitoring', 'Launch at Login', '—', 'Quit NetWatch',
  ]);
  const linux = menuTemplate({ paused: true, launchAtLogin: false, platform: 'linux', text, windows: true });
  assert.deepEqual(linux[0], { type: 'normal', label: '↓1.20 MB/s ↑34.0 kB/s', action: null, enabled: false });
  assert.ok(labels(linux).includes('Resume Monitoring'));
  const login = linux.find((i) => i.type === 'checkbox');
  assert.deepEqual(login, { type: 'checkbox', label: 'Launch at Login', action: { kind: 'toggle-login' }, checked: false });
  // Before the windows exist the menu offers only what works, without doubled separators.
  assert.deepEqual(labels(menuTemplate({ paused: false, launchAtLogin: false, platform: 'linux', text, windows: false })),
    ['↓1.20 MB/s ↑34.0 kB/s', '—', 'Pause Monitoring', 'Launch at Login', '—', 'Quit NetWatch']);
});

test('windows are isolated and sandboxed with no Node; CSP allows no inline script or remote content', () => {
  const w = webPreferences('/app/preload.js');
  assert.equal(w.contextIsolation, true);
  assert.equal(w.sandbox, true);
  assert.equal(w.nodeIntegration, false);
  assert.equal(w.webviewTag, false);
  assert.match(CSP, /script-src 'self'(;|$)/);
  assert.doesNotMatch(CSP, /unsafe-inline|unsafe-eval|https?:/);
});

test('only app://netwatch URLs count as ours; paths cannot escape the app folder', () => {
  assert.equal(isAppUrl('app://netwatch/index.html'), true);
  for (const u of ['https://example.com/', 'file:///etc/passwd', 'app://evil/', 'app://user:pw@netwatch/', 'javascript:alert(1)', 'not a url']) {
    assert.equal(isAppUrl(u), false, u);
  }
  assert.equal(appPath('app://netwatch/', '/opt/nw/dist'), '/opt/nw/dist/index.html');
  assert.equal(appPath('app://netwatch/assets/app.js', '/opt/nw/dist'), '/opt/nw/dist/assets/app.js');
  // The URL parser folds %2e%2e segments at the root away: what is left stays inside the folder.
  assert.equal(appPath('app://netwatch/%2e%2e/%2e%2e/etc/passwd', '/opt/nw/dist'), '/opt/nw/dist/etc/passwd');
  assert.equal(appPath('app://netwatch/a/..%2f..%2fsecret', '/opt/nw/dist'), null);
  assert.equal(appPath('app://other/x', '/opt/nw/dist'), null);
  assert.equal(appPath('app://netwatch/%E0', '/opt/nw/dist'), null, 'malformed escape: refused, not thrown');
});
