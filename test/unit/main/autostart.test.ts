// Launch at login on Linux: an XDG autostart desktop entry, written and removed in a temporary
// XDG_CONFIG_HOME (electron/main/autostart.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { autostartCommand, autostartPath, desktopEntry, execArg, isAutostartEnabled, setAutostart } from '../../../electron/main/autostart.ts';

test('the file lives in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart (a relative XDG_CONFIG_HOME is ignored)', () => {
  assert.equal(autostartPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u'), '/x/cfg/autostart/netwatch.desktop');
  assert.equal(autostartPath({}, '/home/u'), '/home/u/.config/autostart/netwatch.desktop');
  assert.equal(autostartPath({ XDG_CONFIG_HOME: 'rel/cfg' }, '/home/u'), '/home/u/.config/autostart/netwatch.desktop');
});

test('what starts: the AppImage itself, the packaged binary, or electron + the app folder', () => {
  assert.deepEqual(autostartCommand({ execPath: '/tmp/.mount_x/netwatch', appPath: '/a', isPackaged: true, appImage: '/home/u/Apps/NetWatch.AppImage' }), ['/home/u/Apps/NetWatch.AppImage']);
  assert.deepEqual(autostartCommand({ execPath: '/opt/NetWatch/netwatch', appPath: '/a', isPackaged: true }), ['/opt/NetWatch/netwatch']);
  assert.deepEqual(autostartCommand({ execPath: '/src/node_modules/electron/dist/electron', appPath: '/src', isPackaged: false }), ['/src/node_modules/electron/dist/electron', '/src']);
});

test('Exec arguments are quoted per the Desktop Entry Specification', () => {
  assert.equal(execArg('/opt/NetWatch/netwatch'), '/opt/NetWatch/netwatch');
  assert.equal(execArg('/home/u/My Apps/NetWatch.AppImage'), '"/home/u/My Apps/NetWatch.AppImage"');
  assert.equal(execArg('/a/100%/b'), '/a/100%%/b');
  // $ and " escaped inside quotes, then every backslash doubled for the string value.
  assert.equal(execArg('/a/$x "y"'), '"/a/\\\\$x \\\\"y\\\\""');
  assert.match(desktopEntry(['/home/u/My Apps/NetWatch.AppImage']), /^Exec="\/home\/u\/My Apps\/NetWatch.AppImage"$/m);
});

test('enable writes a valid entry, disable removes it; the desktop\'s own "disabled" is honoured', (t) => {
  const cfg = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-xdg-'));
  t.after(() => fs.rmSync(cfg, { recursive: true, force: true }));
  const file = autostartPath({ XDG_CONFIG_HOME: cfg });
  assert.equal(isAutostartEnabled(file), false);
  setAutostart(file, true, ['/opt/NetWatch/netwatch']);
  const text = fs.readFileSync(file, 'utf8');
  assert.match(text, /^\[Desktop Entry\]$/m);
  assert.match(text, /^Type=Application$/m);
  assert.match(text, /^Exec=\/opt\/NetWatch\/netwatch$/m);
  assert.equal(isAutostartEnabled(file), true);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['netwatch.desktop'], 'no temporary file left');
  // GNOME Tweaks / KDE write Hidden=true or X-GNOME-Autostart-enabled=false instead of deleting.
  fs.writeFileSync(file, text.replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
  assert.equal(isAutostartEnabled(file), false);
  fs.writeFileSync(file, text + 'Hidden=true\n');
  assert.equal(isAutostartEnabled(file), false);
  setAutostart(file, false, []);
  assert.equal(fs.existsSync(file), false);
  setAutostart(file, false, []); // already off: no error
});

test('a config folder that cannot hold the entry is an error with the reason, not a silent no-op', (t) => {
  // A file where the autostart folder should be: refused even to root (ENOTDIR/EEXIST).
  const cfg = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-xdg-'));
  t.after(() => fs.rmSync(cfg, { recursive: true, force: true }));
  fs.writeFileSync(path.join(cfg, 'autostart'), 'not a folder');
  assert.throws(() => setAutostart(autostartPath({ XDG_CONFIG_HOME: cfg }), true, ['/x']), /ENOTDIR|EEXIST/);
});
