// Thresholds, switches and the allow-list changed through the engine's own `set-config` message take
// effect at the next capture report, without a restart. The capture feed hands the engine the real
// helper output of an nmap connect scan of 30 closed ports (test/fixtures/linux/nw-capture-r-nmap-sT-
// 30--netns.txt); the rest of the engine reads this machine as usual.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, mergeConfig, type EngineConfigPatch, type Snapshot } from '../../../../shared/index.ts';
import { nodeOs, type OsIO } from '../../../../electron/collector/os.ts';
import { createLinuxSources } from '../../../../electron/collector/linux/index.ts';
import { Engine } from '../../../../electron/collector/engine/engine.ts';
import { parseCaptureOutput, type CaptureReport } from '../../../../electron/collector/capture.ts';
import type { CaptureFeed } from '../../../../electron/collector/sources.ts';
import { fixture } from '../../../helpers.ts';

const out = parseCaptureOutput(fixture('linux', 'nw-capture-r-nmap-sT-30--netns.txt'));
const scan: CaptureReport = { ...out.reports.at(-1)!, flows: [], dns: [], handshakes: out.reports.flatMap((r) => r.handshakes) };
const SCANNER = '10.213.58.1', VICTIM = '10.213.58.2';

test('the fixture is a 30-port connect scan: 30 refused attempts from the scanner', () => {
  assert.equal(scan.handshakes.length, 30);
  assert.ok(scan.handshakes.every((h) => h.src === SCANNER && h.dst === VICTIM && h.outcome === 'refused'));
  assert.equal(new Set(scan.handshakes.map((h) => h.dstPort)).size, 30);
});

test('port-scan threshold, switch and allow-list changed with set-config apply at the next report', async () => {
  let now = Math.ceil(Math.max(...scan.handshakes.map((h) => h.synUs)) / 1000) + 1000;
  const os: OsIO = {
    ...nodeOs, now: () => now,
    dnsQuery: async () => ({ ok: false, reason: 'not queried in tests' }),
    tcpConnect: async () => ({ ok: false, reason: 'not connected in tests' }),
  };
  let pending: CaptureReport | null = null;
  const feed: CaptureFeed = {
    start: async () => null,
    report: async () => { const r = pending ?? { ...scan, handshakes: [] }; pending = null; return { ok: true, report: r }; },
    stop: () => {},
  };
  const sources = { ...createLinuxSources(os, { helperPath: null }), capture: feed };
  const config = mergeConfig(defaultConfig(), { probes: false, intel: { ...defaultConfig().intel, portScan: { ports: 40, windowSec: 30 } } });
  const engine = new Engine({ sources, os, config, emit: () => {} });
  const step = async (): Promise<Snapshot> => {
    // A report (the capture job, every second), then the next interface tick applies its triggers.
    for (let i = 0; i < 2; i++) { now += 1000; await engine.tick(); await new Promise((r) => setTimeout(r, 20)); }
    return engine.snapshot(false);
  };
  const set = (p: EngineConfigPatch) => engine.handle({ type: 'set-config', config: p });
  const scans = (s: Snapshot) => s.alerts.active.filter((a) => a.category === 'portscan');
  try {
    await step(); // starts the (fake) helper
    pending = scan;
    assert.deepEqual(scans(await step()), [], '30 ports under a threshold of 40');

    set({ intel: { ...engine.config.intel, portScan: { ports: 25, windowSec: 30 } } });
    pending = scan;
    const [a] = scans(await step());
    assert.equal(a?.key, `portscan:${SCANNER}:${VICTIM}`, 'the same scan alerts under 25, no restart');
    assert.equal(a.threshold, 25);
    assert.equal(a.evidence?.ports?.count, 30);

    set({ detectors: { portscan: false } });
    now += 61_000; // the alert ages out
    pending = scan;
    const off = await step();
    assert.deepEqual(scans(off), [], 'switched off: nothing new');
    assert.equal(off.alerts.history.filter((h) => h.category === 'portscan').length, 1);

    set({ detectors: { portscan: true }, intel: { ...engine.config.intel, allow: [{ kind: 'host', value: SCANNER }] } });
    pending = scan;
    assert.deepEqual(scans(await step()), [], 'the scanner allow-listed');

    set({ intel: { ...engine.config.intel, allow: [] } });
    pending = scan;
    assert.equal(scans(await step()).length, 1, 'allow-list emptied: it alerts again');
  } finally {
    engine.stop();
  }
});
