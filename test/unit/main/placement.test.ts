import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placePopover, type DisplayArea } from '../../../electron/main/placement.ts';

const size = { width: 360, height: 520 };
const zero = { x: 0, y: 0, width: 0, height: 0 };
// A 1440×900 MacBook with a 25 px menu bar, and a 2560×1440 monitor to its right.
const mac: DisplayArea[] = [
  { bounds: { x: 0, y: 0, width: 1440, height: 900 }, workArea: { x: 0, y: 25, width: 1440, height: 875 } },
  { bounds: { x: 1440, y: 0, width: 2560, height: 1440 }, workArea: { x: 1440, y: 25, width: 2560, height: 1415 } },
];

test('macOS: centred under the tray icon, just below the menu bar', () => {
  const p = placePopover({ platform: 'darwin', trayBounds: { x: 1200, y: 0, width: 24, height: 24 }, cursor: { x: 0, y: 0 }, displays: mac, size });
  assert.deepEqual(p, { x: 1032, y: 28 });
});

test('macOS: an icon near the right edge keeps the popover on screen', () => {
  assert.deepEqual(placePopover({ platform: 'darwin', trayBounds: { x: 1420, y: 0, width: 20, height: 24 }, cursor: { x: 0, y: 0 }, displays: mac, size }), { x: 1080, y: 28 });
});

test('macOS, two displays: the tray on the second display places it there', () => {
  assert.deepEqual(placePopover({ platform: 'darwin', trayBounds: { x: 3900, y: 0, width: 24, height: 24 }, cursor: { x: 0, y: 0 }, displays: mac, size }), { x: 3640, y: 28 });
});

test('Linux, taskbar at the bottom (bounds zero): above the cursor, inside the work area', () => {
  const displays: DisplayArea[] = [{ bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
  assert.deepEqual(placePopover({ platform: 'linux', trayBounds: zero, cursor: { x: 1850, y: 1060 }, displays, size }), { x: 1560, y: 520 });
});

test('Linux, GNOME top bar: below the cursor, never under the bar', () => {
  const displays: DisplayArea[] = [{ bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 32, width: 1920, height: 1048 } }];
  assert.deepEqual(placePopover({ platform: 'linux', trayBounds: zero, cursor: { x: 1700, y: 12 }, displays, size }), { x: 1520, y: 32 });
});

test('Linux, cursor on a second display left of the primary (negative x)', () => {
  const displays: DisplayArea[] = [
    { bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } },
    { bounds: { x: -1280, y: 0, width: 1280, height: 1024 }, workArea: { x: -1280, y: 0, width: 1280, height: 984 } },
  ];
  assert.deepEqual(placePopover({ platform: 'linux', trayBounds: zero, cursor: { x: -1270, y: 1000 }, displays, size }), { x: -1280, y: 464 });
});
