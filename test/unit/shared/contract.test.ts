import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotSchema, HostMessageSchema, defaultConfig, mergeConfig, formatRate, formatBytes } from '../../../shared/index.ts';
import { Engine } from '../../../electron/collector/engine/engine.ts';
import { createSources } from '../../../electron/collector/platform.ts';
import { nodeOs } from '../../../electron/collector/os.ts';

test('a snapshot of this machine validates against the contract and survives structuredClone', async () => {
  const engine = new Engine({ sources: createSources(nodeOs), os: nodeOs, config: { ...defaultConfig(), probes: false }, emit: () => {}, listInSnapshots: true });
  engine.setVisible(true);
  await engine.pollAll();
  await new Promise((r) => setTimeout(r, 300));
  await engine.pollAll();
  const snap = engine.snapshot();
  engine.stop();
  const parsed = SnapshotSchema.safeParse(snap);
  assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 5)));
  assert.deepEqual(structuredClone(snap), snap);
  assert.ok(snap.interfaces.some((i) => i.name === 'lo' && i.type === 'Loopback'));
});

test('the schema rejects negative rates, unknown states and missing sources', () => {
  const bad = { version: 1, ts: 0, seq: -1 };
  assert.equal(SnapshotSchema.safeParse(bad).success, false);
});

test('host messages are validated: unknown types and bad payloads are refused', () => {
  assert.ok(HostMessageSchema.safeParse({ type: 'set-visibility', visible: true }).success);
  assert.ok(!HostMessageSchema.safeParse({ type: 'set-visibility', visible: 'yes' }).success);
  assert.ok(!HostMessageSchema.safeParse({ type: 'rm -rf' }).success);
  assert.ok(!HostMessageSchema.safeParse({ type: 'set-config', config: { intervalMs: 5 } }).success, 'below the 250 ms floor');
  assert.ok(!HostMessageSchema.safeParse({ type: 'request-detail', requestId: 'x'.repeat(101), pid: 1 }).success);
});

test('a config patch changes only what it names; an invalid patch is refused whole', () => {
  const base = mergeConfig(defaultConfig(), { probes: false, connectionsHiddenMs: 30_000 });
  const c = mergeConfig(base, { bandwidthThresholdBps: 10, detectors: { bandwidth: false } });
  assert.equal(c.bandwidthThresholdBps, 10);
  assert.equal(c.probes, false, 'not reset to its default');
  assert.equal(c.connectionsHiddenMs, 30_000);
  assert.equal(c.intervalMs, 1000);
  assert.equal(c.detectors.bandwidth, false);
  assert.throws(() => mergeConfig(base, { intervalMs: 5 }));
  assert.throws(() => mergeConfig(base, 'garbage'));
});

test('formatRate and formatBytes: units, bits vs bytes, SI vs binary, zero and huge', () => {
  assert.equal(formatRate(0), '0 B/s');
  assert.equal(formatRate(1_500_000), '1.50 MB/s');
  assert.equal(formatRate(1_500_000, 'bits'), '12.0 Mbit/s');
  assert.equal(formatRate(1536, 'bytes', 'binary'), '1.50 KiB/s');
  assert.equal(formatRate(5e18), '5000 PB/s');
  assert.equal(formatRate(-5), '0 B/s');
  assert.equal(formatRate(Number.NaN), '0 B/s');
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(123_456_789), '123 MB');
});
