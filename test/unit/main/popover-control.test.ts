// The popover's state machine and platform modes (electron/main/popover-control.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLUR_CLICK_GUARD_MS, PopoverControl, popoverMode, popoverState, runsOnWayland, trayWiring } from '../../../electron/main/popover-control.ts';

test('popoverState asks isDestroyed before isVisible (isVisible throws on a destroyed window)', () => {
  const destroyed = { isDestroyed: () => true, isVisible: () => { throw new Error('Object has been destroyed'); } };
  assert.equal(popoverState(destroyed), 'absent');
  assert.equal(popoverState(null), 'absent');
  assert.equal(popoverState({ isDestroyed: () => false, isVisible: () => true }), 'visible');
  assert.equal(popoverState({ isDestroyed: () => false, isVisible: () => false }), 'hidden');
});

test('macOS: no context menu on the tray (a left click would open it and toggle the popover); the menu pops up on right-click', () => {
  assert.deepEqual(trayWiring('darwin'), { setContextMenu: false, popUpMenuOnRightClick: true });
  assert.deepEqual(trayWiring('linux'), { setContextMenu: true, popUpMenuOnRightClick: false });
});

test('tray clicks toggle; the click that caused the blur does not reopen the popover', () => {
  const c = new PopoverControl();
  const x11 = popoverMode('linux', false);
  assert.equal(c.toggle('absent', 0), 'create-and-show');
  assert.equal(c.toggle('visible', 100), 'hide');
  assert.equal(c.toggle('hidden', 5000), 'show');
  // Clicking the icon while open: blur arrives first and hides it, then the click.
  assert.equal(c.blur('visible', 10_000, x11), 'hide');
  assert.equal(c.toggle('hidden', 10_000 + 40), 'none', 'the same gesture');
  // The guard is consumed: the next click (even soon after) opens it.
  assert.equal(c.toggle('hidden', 10_000 + 80), 'show');
  // A blur long before the click does not swallow it.
  c.blur('visible', 20_000, x11);
  assert.equal(c.toggle('hidden', 20_000 + BLUR_CLICK_GUARD_MS + 1), 'show');
  // "Open NetWatch" in the menu is not a tray click: no guard.
  c.blur('visible', 30_000, x11);
  assert.equal(c.toggle('hidden', 30_010, false), 'show');
  // A blur of a popover already hidden remembers nothing.
  assert.equal(c.blur('hidden', 40_000, x11), 'none');
  assert.equal(c.toggle('hidden', 40_010), 'show');
});

test('open never hides; close hides unless quitting', () => {
  const c = new PopoverControl();
  assert.equal(c.open('visible'), 'show');
  assert.equal(c.open('hidden'), 'show');
  assert.equal(c.open('absent'), 'create-and-show');
  assert.equal(c.close(false), 'prevent-and-hide');
  assert.equal(c.close(true), 'allow');
});

test('Wayland: a framed window the compositor places, not hidden on blur; elsewhere a placed panel', () => {
  const w = popoverMode('linux', true);
  assert.deepEqual(w, { frame: true, alwaysOnTop: false, place: false, hideOnBlur: false, skipTaskbar: false });
  const c = new PopoverControl();
  assert.equal(c.blur('visible', 0, w), 'none');
  for (const m of [popoverMode('linux', false), popoverMode('darwin', false), popoverMode('darwin', true)]) {
    assert.deepEqual(m, { frame: false, alwaysOnTop: true, place: true, hideOnBlur: true, skipTaskbar: true });
  }
});

test('Wayland detection follows Chromium\'s rule (explicit platform, then the hint)', () => {
  const base = { platform: 'linux' as const, ozonePlatform: '', ozonePlatformHint: '', env: {}, waylandSocketExists: false };
  assert.equal(runsOnWayland({ ...base, env: { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' } }), true);
  assert.equal(runsOnWayland({ ...base, env: { XDG_SESSION_TYPE: 'x11', WAYLAND_DISPLAY: 'wayland-0' } }), false, 'auto needs a Wayland session');
  assert.equal(runsOnWayland({ ...base, env: { XDG_SESSION_TYPE: 'wayland' }, ozonePlatform: 'x11' }), false, 'explicit --ozone-platform wins');
  assert.equal(runsOnWayland({ ...base, ozonePlatform: 'wayland' }), true);
  assert.equal(runsOnWayland({ ...base, ozonePlatformHint: 'wayland', env: { WAYLAND_DISPLAY: 'w' } }), true);
  assert.equal(runsOnWayland({ ...base, ozonePlatformHint: 'wayland', waylandSocketExists: true }), true);
  assert.equal(runsOnWayland({ ...base, ozonePlatformHint: 'wayland' }), false, 'no Wayland server: X11');
  assert.equal(runsOnWayland({ ...base, ozonePlatformHint: 'x11', env: { XDG_SESSION_TYPE: 'wayland' } }), false);
  assert.equal(runsOnWayland({ ...base, platform: 'darwin', env: { XDG_SESSION_TYPE: 'wayland' } }), false);
});
