// The packet capture's Prometheus series on the namespace recording (real capture figures) and the
// DNS latency histogram on analytics built from the contract (DnsAnalyticsSchema): values equal to the
// recording's counts, counters that never go down, nothing while a source is absent, promtool clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ConnectMetricsSchema, type Snapshot } from '../../../../shared/index.ts';
import { FIXED_SERIES, PromMetrics } from '../../../../electron/collector/export/metrics.ts';
import { DNS_BUCKETS_S } from '../../../../electron/collector/export/capture-metrics.ts';
import { captureRecording, recording } from './fixture.ts';
import { analytics, withDns } from './dns-analytics.ts';

const promtool = spawnSync('promtool', ['--version']).status === 0;
const samples = (text: string) => new Map(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))] as const));
const render = (snaps: Snapshot[]) => { const m = new PromMetrics(); for (const s of snaps) m.update(s); return m.render(); };


test('capture series on the namespace recording: its DNS counts, connect outcomes, UDP bytes and drops', () => {
  const snaps = captureRecording();
  const first = snaps.find((s) => s.capture)!, last = snaps.at(-1)!;
  const v = samples(render(snaps));
  const d = (f: (s: Snapshot) => number) => f(last) - f(first);
  assert.equal(v.get('netwatch_dns_queries_total{method="capture"}'), d((s) => s.capture!.dns.queries));
  assert.equal(v.get('netwatch_dns_queries_total{method="capture"}'), 6, 'the six digs');
  assert.equal(v.get('netwatch_dns_nxdomain_responses_total{method="capture"}'), 2);
  assert.equal(v.get('netwatch_dns_responses_total{method="capture"}'), 6);
  assert.equal(v.get('netwatch_tcp_connect_failures_total{method="handshakes",reason="refused"}'), 5);
  assert.equal(v.get('netwatch_tcp_connect_failures_total{method="handshakes",reason="timed_out"}'), 3);
  assert.equal(v.get('netwatch_tcp_connect_attempts_total{method="handshakes"}'), d((s) => s.connects!.total.attempts));
  assert.equal(v.get('netwatch_tcp_connect_successes_total{method="handshakes"}'), d((s) => s.connects!.total.successes));
  assert.equal(v.get('netwatch_tcp_connect_duration_p95_seconds'), last.connects!.total.p95ConnectMs! / 1000);
  assert.equal(v.get('netwatch_udp_credited_bytes_total'), d((s) => s.capture!.udp.creditedBytes));
  assert.ok(v.get('netwatch_udp_credited_bytes_total')! >= 200_000, 'the 200,000 bytes the UDP client sent to 9984');
  assert.equal(v.get('netwatch_capture_packets_total'), d((s) => s.capture!.packets));
  assert.equal(v.get('netwatch_capture_dropped_packets_total{where="kernel"}'), d((s) => s.capture!.kernelDrops));
  assert.equal(v.get('netwatch_source_up{source="capture"}'), 1);
  assert.equal([...v.keys()].some((k) => k.startsWith('netwatch_dns_query_duration_seconds')), false, 'no analytics in this recording: no latency histogram');
});

test('DNS latency histogram from the analytics\' buckets: cumulative, _count and _sum from exporter start; promtool clean', () => {
  const snaps = withDns(captureRecording());
  const text = render(snaps);
  const v = samples(text);
  const first = snaps[0]!.dns!, last = snaps.at(-1)!.dns!;
  let cum = 0;
  DNS_BUCKETS_S.forEach((le, k) => {
    cum += last.latencyBuckets[k]! - first.latencyBuckets[k]!;
    assert.equal(v.get(`netwatch_dns_query_duration_seconds_bucket{le="${le}"}`), cum, `le=${le}`);
  });
  const n = last.responses - first.responses;
  assert.equal(v.get('netwatch_dns_query_duration_seconds_bucket{le="+Inf"}'), n, 'the ≥ 500 ms bucket in +Inf only');
  assert.ok(n > cum, 'the overflow bucket held some');
  assert.equal(v.get('netwatch_dns_query_duration_seconds_count'), n);
  assert.ok(Math.abs(v.get('netwatch_dns_query_duration_seconds_sum')! - (last.latencySumMs - first.latencySumMs) / 1000) < 1e-9);
  assert.equal(v.get('netwatch_dns_unanswered_queries_total{method="capture"}'), last.unanswered - first.unanswered);
  assert.deepEqual(DNS_BUCKETS_S, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5], 'seconds of the contract\'s 5–500 ms');
  assert.doesNotMatch(text, /dig|nw\.test/, 'no per-app or per-domain series');
  if (promtool) {
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout + r.stderr, '');
  }
});

test('no DNS analytics (dns null or absent): no latency histogram and no unanswered series; resolved: counts without a histogram', () => {
  for (const dns of [null, undefined]) {
    const text = render(captureRecording().map((s) => ({ ...s, dns })));
    assert.doesNotMatch(text, /netwatch_dns_query_duration_seconds|netwatch_dns_unanswered/);
  }
  // The capture gone and systemd-resolved's monitor the source: its counts, no timing.
  const snaps = recording().map((s, i) => ({ ...s, capture: null, dns: analytics(i, 'resolved') }));
  const v = samples(render(snaps));
  assert.equal(v.get('netwatch_dns_queries_total{method="resolved"}'), 40 * (snaps.length - 1));
  assert.equal([...v.keys()].some((k) => /duration_seconds_bucket.*|_error_responses|_malformed|capture_/.test(k) && !k.includes('probe')), false);
});

test('connection outcomes by method: socket-events once the capture stops (its own series from its first reading, no connect time); none from the kernel counters', () => {
  const snaps = captureRecording().filter((s) => s.connects);
  const half = Math.floor(snaps.length / 2);
  // The capture gone half way: the engine falls back to socket-destroy events (counting from 0 there).
  const events = snaps.slice(half).map((s, i) => ({ ...s, capture: null, connects: { total: ConnectMetricsSchema.parse({
    method: 'socket-events', attempts: 4 * i, successes: 2 * i, refused: i, timedOut: i, failures: 2 * i, errorPct: i ? 50 : null, avgConnectMs: null, p95ConnectMs: null,
  }), apps: [] } }));
  const v = samples(render([...snaps.slice(0, half), ...events]));
  const n = events.length - 1;
  assert.equal(v.get('netwatch_tcp_connect_attempts_total{method="socket-events"}'), 4 * n);
  assert.equal(v.get('netwatch_tcp_connect_failures_total{method="socket-events",reason="refused"}'), n);
  assert.equal(v.get('netwatch_tcp_connect_failures_total{method="socket-events",reason="other"}'), 0);
  assert.equal(v.has('netwatch_tcp_connect_attempts_total{method="handshakes"}'), false, 'only the method in use');
  assert.equal(v.has('netwatch_tcp_connect_duration_p95_seconds'), false, 'no connect time without handshakes');
  const kernel = snaps.map((s) => ({ ...s, connects: { total: { ...s.connects!.total, method: 'kernel-counters' as const, refused: null, timedOut: null }, apps: [] } }));
  assert.equal([...samples(render(kernel)).keys()].some((k) => k.startsWith('netwatch_tcp_connect_')), false, 'the kernel\'s own counters have their series');
});

test('counters never go down across an engine restart (the analytics and the capture counting from 0 again)', () => {
  const snaps = captureRecording().filter((s) => s.capture);
  const half = Math.floor(snaps.length / 2);
  // Restart: the second half's counts start over (the first half again, as a restarted engine would).
  const run = [...withDns(snaps.slice(0, half), 1), ...withDns(snaps.slice(0, half), 1)];
  const m = new PromMetrics();
  let prev = new Map<string, number>();
  for (const s of run) {
    m.update(s);
    const now = samples(m.render());
    // The capture's counters and histogram (the kernel's since-boot counters are passed through as they are; gauges may fall).
    for (const [k, x] of prev) if (/^netwatch_(capture_|udp_|dns_(?!probe)|tcp_connect_)\w*(_total|_bucket|_count|_sum)\b/.test(k) && now.has(k)) assert.ok(now.get(k)! >= x, `${k} went down: ${x} → ${now.get(k)}`);
    prev = now;
  }
  const once = samples(render(withDns(snaps.slice(0, half), 1))).get('netwatch_dns_query_duration_seconds_count')!;
  assert.equal(prev.get('netwatch_dns_query_duration_seconds_count'), 2 * once, 'the second run\'s responses counted on top of the first');
});

test('with every capture series present the count reaches FIXED_SERIES, and no label holds an address or pid', () => {
  const snaps = withDns(captureRecording());
  const text = render(snaps);
  const fixed = [...samples(text).keys()].filter((k) => !/^netwatch_(interface_info|wifi_|app_)/.test(k)).length;
  // Coverage is absent for a scope where nothing moved over the last poll.
  assert.ok(fixed <= FIXED_SERIES && fixed >= FIXED_SERIES - 2, `${fixed} fixed series, FIXED_SERIES ${FIXED_SERIES}`);
  assert.doesNotMatch(text, /\b(pid|local|remote|address|peer|ip|port)="/);
  assert.doesNotMatch(text, /10\.213\./, 'the lab\'s addresses in no label');
});
