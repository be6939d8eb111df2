// Prometheus metrics from recorded snapshots: valid exposition (promtool), counters that never go
// down, per-app series bounded to the top N plus "other", hostile names escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PromMetrics, seriesBound, FIXED_SERIES } from '../../../../electron/collector/export/metrics.ts';
import { Accumulator, escapeLabel, Exposition } from '../../../../electron/collector/export/prom-text.ts';
import { CAPTURE_SERIES } from '../../../../electron/collector/export/capture-metrics.ts';
import { captureRecording, recording } from './fixture.ts';
import { withDns } from './dns-analytics.ts';

const promtool = spawnSync('promtool', ['--version']).status === 0;
/** `name{labels} value` lines as [series, value]. */
const samples = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))] as const);

test('the exposition of a recorded run passes promtool check metrics', { skip: promtool ? false : 'promtool missing (Debian package prometheus; .ci/run installs it)' }, () => {
  const m = new PromMetrics();
  for (const s of recording()) m.update(s);
  const r = spawnSync('promtool', ['check', 'metrics'], { input: m.render(), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout + r.stderr, '', 'no lint findings either');
});

test('per-app counters: the top N by name, the rest under app="other"; every byte once; never down', () => {
  const snaps = recording();
  for (const n of [0, 1, 10]) {
    const m = new PromMetrics({ topApps: n });
    let prev = new Map<string, number>();
    for (const s of snaps) {
      m.update(s);
      const now = new Map(samples(m.render()).filter(([k]) => k.includes('_total')));
      for (const [k, v] of prev) if (now.has(k)) assert.ok(now.get(k)! >= v, `${k} went down`);
      prev = now;
    }
    const apps = samples(m.render()).filter(([k]) => k.startsWith('netwatch_app_transmit_bytes_total'));
    assert.ok(apps.length <= n + 1, `${apps.length} app series for N=${n}`);
    assert.ok(apps.some(([k]) => k.endsWith('{app="other"}')));
    // The recording's app sent 10,000 bytes per poll after the first: all of it lands somewhere, once.
    const first = snaps.find((s) => s.apps.length > 0)!;
    const sent = snaps.at(-1)!.apps.reduce((a, x) => a + x.txBytes, 0) - first.apps.reduce((a, x) => a + x.txBytes, 0);
    assert.equal(apps.reduce((a, [, v]) => a + v, 0), sent);
    if (n >= 1) assert.ok(apps.some(([k]) => k === 'netwatch_app_transmit_bytes_total{app="=HYPERLINK(\\"htt"}'), 'the name escaped, as is');
  }
});

test('no pid or address label; series under the documented bound', () => {
  const m = new PromMetrics({ topApps: 3 });
  const snaps = recording();
  for (const s of snaps) m.update(s);
  const text = m.render();
  assert.doesNotMatch(text, /\b(pid|local|remote|address|ip)="/);
  const last = snaps.at(-1)!;
  const n = samples(text).length;
  assert.ok(n <= seriesBound(3, last.interfaces.length, last.wifi.length), `${n} series`);
  // No capture in this recording: FIXED_SERIES less the capture's series (capture-metrics.test.ts counts them all).
  assert.ok(n >= FIXED_SERIES - CAPTURE_SERIES - 3, `${n} series: FIXED_SERIES (${FIXED_SERIES}) is counted from what render() writes`);
});

test('label values: backslash, quote and newline escaped so a name cannot forge a series', () => {
  assert.equal(escapeLabel('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  const e = new Exposition();
  e.family('netwatch_x', 'gauge', 'x', [[{ app: 'evil"} 1\nnetwatch_engine_up{a="' }, 1]]);
  assert.equal(e.text().split('\n').filter((l) => l.startsWith('netwatch_')).length, 1);
});

test('Accumulator: a reading that goes back (interface recreated, engine restarted) adds nothing, then counts on from there', () => {
  const a = new Accumulator();
  assert.deepEqual([a.add('eth0', 1000), a.add('eth0', 1500), a.add('eth0', 200), a.add('eth0', 700)], [0, 500, 0, 500]);
  assert.equal(a.total, 1000);
  a.keep(new Set());
  assert.equal(a.add('eth0', 5000), 0, 'a forgotten key starts from its next reading');
});

test('the Grafana fleet dashboard names only metrics the exporter writes (PromQL would answer a typo with nothing)', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { ROOT } = await import('../../../helpers.ts');
  // Both recordings (the capture's series from the namespace one), DNS analytics from the contract.
  const families = new Set<string>();
  for (const snaps of [recording(), withDns(captureRecording())]) {
    const m = new PromMetrics();
    for (const s of snaps) m.update(s);
    for (const x of m.render().matchAll(/^# TYPE (\S+) (\w+)$/gm)) families.add(x[1]!);
  }
  const dash = fs.readFileSync(path.join(ROOT, 'grafana', 'netwatch-fleet.json'), 'utf8');
  const used = new Set([...dash.matchAll(/netwatch_[a-z0-9_]+/g)].map((x) => x[0].replace(/_(bucket|sum|count)$/, '')));
  assert.ok(used.size >= 10);
  for (const name of used) assert.ok(families.has(name), `${name} is not exported`);
});
