import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PAUSED, TrayView, trayText } from '../../../electron/main/tray-text.ts';
import { menuTemplate } from '../../../electron/main/menu.ts';
import { totalRates } from '../../../shared/index.ts';
import type { Interface, Snapshot } from '../../../shared/index.ts';

const snap = (ifs: Array<Pick<Interface, 'name' | 'type' | 'rxBps' | 'txBps'>>, alerts = 0) =>
  ({ interfaces: ifs as Interface[], alerts: { active: Array(alerts).fill({}), history: [] } }) as unknown as Pick<Snapshot, 'interfaces' | 'alerts'>;

test('totals skip loopback and virtual links (they would count bytes twice)', () => {
  const ifs = snap([
    { name: 'eth0', type: 'Ethernet', rxBps: 1000, txBps: 10 },
    { name: 'wlan0', type: 'WiFi', rxBps: 500, txBps: 5 },
    { name: 'lo', type: 'Loopback', rxBps: 9e9, txBps: 9e9 },
    { name: 'docker0', type: 'Virtual', rxBps: 7e6, txBps: 7e6 },
  ]).interfaces;
  assert.deepEqual(totalRates(ifs), { rxBps: 1500, txBps: 15 });
  // The "interfaces in the total" setting, which the tray now honours like the popover.
  assert.deepEqual(totalRates(ifs, ['wlan0']), { rxBps: 500, txBps: 5 });
  // A container: its only link is a veth, which then counts (loopback still never does).
  const container = snap([{ name: 'eth0', type: 'Virtual', rxBps: 300, txBps: 3 }, { name: 'lo', type: 'Loopback', rxBps: 9, txBps: 9 }]);
  assert.equal(trayText(container).title, '↓300 B/s ↑3 B/s');
});

test('title in bytes or bits, SI or binary; zero and huge rates', () => {
  const s = snap([{ name: 'eth0', type: 'Ethernet', rxBps: 1_200_000, txBps: 34_000 }]);
  assert.equal(trayText(s).title, '↓1.20 MB/s ↑34.0 kB/s');
  assert.equal(trayText(s, 'bits').title, '↓9.60 Mbit/s ↑272 kbit/s');
  assert.equal(trayText(s, 'bytes', 'binary').title, '↓1.14 MiB/s ↑33.2 KiB/s');
  assert.equal(trayText(snap([{ name: 'eth0', type: 'Ethernet', rxBps: 0, txBps: 0 }])).title, '↓0 B/s ↑0 B/s');
  assert.equal(trayText(snap([{ name: 'eth0', type: 'Ethernet', rxBps: 12.5e9, txBps: 0 }])).title, '↓12.5 GB/s ↑0 B/s');
});

test('tooltip carries the speeds and active alerts; starting says so', () => {
  const s = snap([{ name: 'eth0', type: 'Ethernet', rxBps: 2000, txBps: 1000 }], 2);
  assert.equal(trayText(s).tooltip, 'NetWatch\nDownload 2.00 kB/s\nUpload 1.00 kB/s\n2 active alerts');
  assert.deepEqual(trayText(null), { title: '↓– ↑–', tooltip: 'NetWatch: starting…' });
});

test('while paused the tray says so instead of showing frozen speeds', () => {
  const s = snap([{ name: 'eth0', type: 'Ethernet', rxBps: 2000, txBps: 1000 }], 1);
  assert.deepEqual(trayText(s, 'bytes', 'si', [], true), PAUSED);
  assert.equal(PAUSED.title, '⏸ Paused');
  assert.equal(trayText(null, 'bytes', 'si', [], true).tooltip, 'NetWatch: monitoring paused');
});

test('redraws compare everything shown: a new alert count refreshes the tooltip under an unchanged title', () => {
  const v = new TrayView();
  const m = (paused: boolean) => menuTemplate({ paused, launchAtLogin: false, platform: 'linux', text: { title: 't', tooltip: '' }, windows: true });
  const s0 = snap([{ name: 'eth0', type: 'Ethernet', rxBps: 2000, txBps: 1000 }], 0);
  const s1 = snap([{ name: 'eth0', type: 'Ethernet', rxBps: 2000, txBps: 1000 }], 1);
  const first = v.next(trayText(s0), m(false));
  assert.ok(first.title && first.tooltip && first.menu, 'everything on the first draw');
  assert.deepEqual(v.next(trayText(s0), m(false)), {}, 'nothing changed: nothing pushed');
  assert.deepEqual(v.next(trayText(s1), m(false)), { tooltip: 'NetWatch\nDownload 2.00 kB/s\nUpload 1.00 kB/s\n1 active alert' });
  // The Linux menu is rebuilt only when its text or state changed.
  const paused = v.next(trayText(s1, 'bytes', 'si', [], true), m(true));
  assert.equal(paused.title, '⏸ Paused');
  assert.ok(paused.menu?.some((i) => i.type === 'normal' && i.label === 'Resume Monitoring'));
  assert.deepEqual(v.next(trayText(s1, 'bytes', 'si', [], true), m(true)), {});
});
