// Thresholds typed in human units: the unit choices follow the settings, and a stored bytes/s value is
// said in the largest unit that keeps it ≥ 1. Ranges come from one table the schema also checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DETECTORS, DETECTOR_NAMES, loadSettingsFile, EngineConfigSchema, SETTINGS_RANGES, SettingsSchema, defaultSettings, rateUnitChoices, toRateUnit } from '../../../shared/index.ts';

const say = (bps: number, u: 'bytes' | 'bits', p: 'si' | 'binary') => { const t = toRateUnit(bps, u, p); return `${t.value} ${t.unit.label}`; };

test('50 MB/s is 400 Mbit/s; binary prefixes; values below a kilo stay in the smallest unit', () => {
  assert.equal(say(50_000_000, 'bytes', 'si'), '50 MB/s');
  assert.equal(say(50_000_000, 'bits', 'si'), '400 Mbit/s');
  assert.equal(say(50 * 1024 ** 2, 'bytes', 'binary'), '50 MiB/s');
  assert.equal(say(1000, 'bits', 'si'), '8 kbit/s');
  assert.equal(say(100e9, 'bits', 'si'), '800 Gbit/s');
  assert.equal(say(100e9, 'bytes', 'si'), '100 GB/s');
  assert.equal(say(300, 'bytes', 'si'), '0.3 kB/s');
  assert.equal(say(1_500_000, 'bytes', 'si'), '1.5 MB/s');
  assert.deepEqual(rateUnitChoices('bits', 'binary').map((c) => c.label), ['Kibit/s', 'Mibit/s', 'Gibit/s']);
  for (const u of ['bytes', 'bits'] as const) for (const p of ['si', 'binary'] as const) for (const bps of [1000, 123_456_789, 4e10]) {
    const t = toRateUnit(bps, u, p);
    assert.ok(Math.abs(t.value * t.unit.bytesPerSec - bps) < 1e-6 * bps, `${bps} ${u} ${p} round-trips`);
  }
});

test('the schema checks the ranges the view states; the mute list is the detectors that exist', () => {
  const ok = (o: object) => SettingsSchema.safeParse({ ...defaultSettings(), ...o }).success;
  const r = SETTINGS_RANGES;
  assert.ok(ok({ bandwidthThresholdBps: r.bandwidthThresholdBps.min }) && ok({ bandwidthThresholdBps: r.bandwidthThresholdBps.max }));
  assert.ok(!ok({ bandwidthThresholdBps: r.bandwidthThresholdBps.min - 1 }) && !ok({ bandwidthThresholdBps: r.bandwidthThresholdBps.max + 1 }));
  assert.ok(!ok({ samplingIntervalMs: 249 }) && ok({ samplingIntervalMs: 250 }) && !ok({ samplingIntervalMs: 60_001 }));
  assert.deepEqual(DETECTORS, [...DETECTOR_NAMES]);
  assert.deepEqual(DETECTORS, Object.keys(EngineConfigSchema.shape.detectors.shape), 'the engine\'s switchable detectors');
});

test('a settings file from before the intelligence detectors loads with their defaults, keeping what it had', () => {
  const old = { ...defaultSettings(), detectors: { bandwidth: false } } as Record<string, unknown>;
  delete old.intel;
  const ops = { read: () => JSON.stringify(old), rename: () => assert.fail('nothing to move aside'), writeAtomic: () => {} };
  const { settings, notice } = loadSettingsFile(ops, '/x/settings.json', 0);
  assert.equal(notice, null);
  assert.equal(settings.detectors.bandwidth, false, 'the stored switch is kept');
  assert.equal(settings.detectors.portscan, true, 'a new detector is on by default');
  assert.deepEqual(settings.intel, defaultSettings().intel);
});
