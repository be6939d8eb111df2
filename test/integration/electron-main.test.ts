// The shell's wiring for real: dist/electron/main/index.js runs under Node against a stand-in electron
// module (test/integration/fake-electron/), with the real collector forked as its utility process.
// What only the Electron binary can show (real windows, trays, notifications, --js-flags reaching V8)
// is the smoke test's (test/e2e/electron-smoke.test.ts); this covers the decisions and their wiring,
// each of which failed on the shell before this change (checked against f0e599e's build: a late page
// never learnt the link was up; a second instance made a tray and forked a collector).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers.ts';

const DIR = path.join(ROOT, 'test', 'integration', 'fake-electron');

before(() => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-collector.js')], { cwd: ROOT, stdio: 'ignore' });
});

function run(scenario: string, env: Record<string, string> = {}): { out: Record<string, unknown>; userData: string } {
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-main-'));
  fs.writeFileSync(path.join(userData, 'settings.json'), JSON.stringify({ probes: false }));
  const text = execFileSync(process.execPath, ['--import', path.join(DIR, 'register.ts'), path.join(DIR, 'scenario.ts'), scenario], {
    cwd: ROOT, timeout: 60_000,
    // XDG_SESSION_TYPE cleared so the machine's own session does not pick the mode.
    env: { ...process.env, XDG_SESSION_TYPE: '', NETWATCH_USER_DATA: userData, XDG_CONFIG_HOME: path.join(userData, 'cfg'), NETWATCH_TEST: '1', FAKE_APP_PATH: ROOT, ...env },
  }).toString();
  return { out: JSON.parse(text.trim().split('\n').at(-1)!), userData };
}

test('a second instance quits before making a tray, a collector or a window', () => {
  const { out, userData } = run('second-instance');
  try {
    assert.equal(out['trays'], 0);
    assert.equal(out['forks'], 0);
    assert.equal(out['windows'], 0);
    assert.deepEqual(out['log'], ['app.setPath', 'requestSingleInstanceLock', 'app.quit'], 'its own user data folder first, then the lock, then nothing');
  } finally { fs.rmSync(userData, { recursive: true, force: true }); }
});

test('first run on X11: tray, pages told the link on load and reload, visibility from shown windows, popover clicks, pause, notifications, settings, quit', () => {
  const { out, userData } = run('first-run');
  try {
    assert.equal(out['trayImage'], 'trayLinux.png', 'the coloured Linux icon, not the black template');
    assert.equal(out['appMenu'], null, 'no application menu on Linux');
    assert.deepEqual(out['execArgv'], ['--js-flags=--max-semi-space-size=1']);
    assert.equal(out['contextMenuSet'], true, 'Linux keeps the context menu (AppIndicator gives no clicks)');
    assert.deepEqual(out['popoverOpts'], { frame: false, alwaysOnTop: true });
    assert.equal(out['popoverPlaced'], true);
    assert.deepEqual(out['popoverLinks'], [{ state: 'down', reason: 'engine starting' }, { state: 'up' }]);
    assert.deepEqual(out['visibilityAfterShow'], [{ type: 'set-visibility', visible: true }]);
    assert.deepEqual(out['lateLinks'], [{ state: 'up' }], 'a page loaded after "up" is told "up"');
    assert.equal(out['latePorts'], 1);
    assert.equal(out['lateSettings'], 1);
    assert.deepEqual(out['afterReload'], ['nw:port', 'nw:link', 'nw:settings']);
    assert.deepEqual(out['visibilityAfterHide'], [{ type: 'set-visibility', visible: false }], 'hidden popover, closed window: tray-only cadence, said once');
    assert.equal(out['popoverVisibleAfterBlur'], false);
    assert.equal(out['afterGuardedClick'], false, 'the click that blurred it does not reopen it');
    assert.equal(out['afterSecondClick'], true);
    assert.deepEqual(out['afterClose'], { destroyed: false, visible: false }, 'Ctrl+W hides the popover');
    assert.equal(out['afterSecondLaunch'], true, 'a plain second launch opens the popover');
    assert.equal(out['windowsAfterSecondLaunch'], 2, 'the same popover, not a new one');
    assert.equal(out['pausedTooltip'], 'NetWatch: monitoring paused');
    assert.equal(out['pausedMenuHead'], '⏸ Paused');
    assert.equal(out['stillPaused'], 'NetWatch: monitoring paused', 'no snapshot overwrote it while paused');
    assert.equal(out['alertsWindow'], true);
    assert.equal(out['saved'], true);
    assert.equal(out['settingsPushed'], 'bits', 'a save reaches the other page');
    assert.equal(out['configPosted'], 1);
    assert.equal(out['afterQuitClose'], true, 'while quitting the popover really closes');
    assert.equal(out['collectorExited'], true);
    const entry = fs.readFileSync(path.join(userData, 'cfg', 'autostart', 'netwatch.desktop'), 'utf8');
    assert.match(entry, /^Exec=.+$/m, 'launch at login wrote the XDG autostart entry');
  } finally { fs.rmSync(userData, { recursive: true, force: true }); }
});

test('Wayland session: the popover is a framed window the compositor places, not hidden on blur', () => {
  const { out, userData } = run('wayland', { XDG_SESSION_TYPE: 'wayland' });
  try {
    assert.deepEqual(out['popoverOpts'], { frame: true, alwaysOnTop: false });
    assert.equal(out['popoverPlaced'], false, 'no setPosition');
    assert.equal(out['popoverVisibleAfterBlur'], true);
  } finally { fs.rmSync(userData, { recursive: true, force: true }); }
});
