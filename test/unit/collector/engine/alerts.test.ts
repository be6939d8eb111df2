import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore, BandwidthDetector, ACTIVE_FOR_MS, HISTORY_MAX } from '../../../../electron/collector/engine/alerts.ts';
import type { AppUsage, Interface, Snapshot } from '../../../../shared/index.ts';
import { fixture } from '../../../helpers.ts';

const iface = (name: string, rxBps: number, txBps = 0, type: Interface['type'] = 'Ethernet') => ({ name, type, rxBps, txBps }) as Interface;

test('bandwidth: one sample above the threshold is not enough; two raise a Warning', () => {
  const d = new BandwidthDetector(1_000_000);
  const store = new AlertStore();
  assert.deepEqual(store.apply(d.check([iface('eth0', 1_500_000)], 0), 0), []);
  const raised = store.apply(d.check([iface('eth0', 1_500_000)], 1000), 1000);
  assert.equal(raised.length, 1);
  assert.equal(raised[0]!.severity, 'warning');
  assert.equal(raised[0]!.key, 'bandwidth:eth0:rx');
  assert.match(raised[0]!.detail, /1\.50 MB\/s received/);
  assert.deepEqual([raised[0]!.interface, raised[0]!.direction], ['eth0', 'rx'], 'where, for the view to say in the user\'s units');
});

test('bandwidth: twice the threshold is Critical; the alert keeps its id while it escalates', () => {
  const d = new BandwidthDetector(1_000_000);
  const store = new AlertStore();
  store.apply(d.check([iface('eth0', 0, 1_200_000)], 0), 0);
  const [first] = store.apply(d.check([iface('eth0', 0, 1_200_000)], 1000), 1000);
  assert.equal(store.apply(d.check([iface('eth0', 0, 2_500_000)], 2000), 2000).length, 0, 'not raised anew');
  const [active] = store.active();
  assert.equal(active!.id, first!.id);
  assert.equal(active!.severity, 'critical');
  assert.equal(active!.key, 'bandwidth:eth0:tx');
});

test('bandwidth: a dip below the threshold restarts the count; loopback never alerts', () => {
  const d = new BandwidthDetector(1000);
  assert.equal(d.check([iface('eth0', 2000), iface('lo', 1e9, 1e9, 'Loopback')], 0).length, 0);
  assert.equal(d.check([iface('eth0', 10), iface('lo', 1e9, 1e9, 'Loopback')], 1).length, 0);
  assert.equal(d.check([iface('eth0', 2000)], 2).length, 0);
  assert.equal(d.check([iface('eth0', 2000)], 3).length, 1);
});

test('alerts stay active 60 s after the last trigger, then move to a history of 100', () => {
  const store = new AlertStore();
  const trig = (k: string) => ({ key: k, category: 'bandwidth' as const, severity: 'warning' as const, title: k, detail: '', value: 2, threshold: 1 });
  store.apply([trig('a')], 0);
  store.apply([trig('a')], 10_000);
  store.apply([], 10_000 + ACTIVE_FOR_MS - 1);
  assert.equal(store.active().length, 1);
  store.apply([], 10_000 + ACTIVE_FOR_MS);
  assert.equal(store.active().length, 0);
  assert.equal(store.history().length, 1);
  assert.equal(store.history()[0]!.active, false);
  for (let i = 0; i < 150; i++) {
    const t = 100_000 + i * ACTIVE_FOR_MS * 2;
    store.apply([trig(`k${i}`)], t);
    store.apply([], t + ACTIVE_FOR_MS);
  }
  assert.equal(store.history().length, HISTORY_MAX);
  assert.equal(store.history().at(-1)!.key, 'k149');
});

test('bandwidth: the alert names the app that moved the most in its direction, loopback left out', () => {
  const app = (id: string, rxBps: number, loopRx: number) => ({ id, app: id.split('/').pop()!, rxBps, txBps: 0, loopback: { rxBytes: 0, txBytes: 0, rxBps: loopRx, txBps: 0 } }) as AppUsage;
  // The recorded engine's apps: only loopback traffic, so no app is named.
  const recorded = fixture('linux', 'netwatch-record-hostile-name--netwatch-vm.txt').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Snapshot).at(-1)!.apps;
  const d = new BandwidthDetector(1000);
  d.check([iface('eth0', 5000)], 0, recorded);
  assert.equal(d.check([iface('eth0', 5000)], 1, recorded)[0]!.evidence, undefined, 'loopback traffic is not the download');
  const apps = [app('/usr/bin/curl', 900, 0), app('/usr/bin/firefox', 9e6, 9e6 - 100), app('/usr/bin/rsync', 3000, 0)];
  const [t] = d.check([iface('eth0', 5000)], 2, apps);
  assert.deepEqual(t!.evidence, { app: { id: '/usr/bin/rsync', name: 'rsync' } }, 'firefox moved more, but over loopback');
});
