// The capture tier's life: no CAP_NET_RAW → unavailable with the command that grants it, retried a
// minute later (not every tick); once granted, reports are folded in (here the real report of the
// dnsmasq capture fixture: its DNS counts); turned off in the config → the helper is stopped and the
// source says so. The feed stands in for the helper process only; reasons and reports are the real ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, mergeConfig, type EngineConfig } from '../../../../shared/index.ts';
import { nodeOs } from '../../../../electron/collector/os.ts';
import { captureFailure, parseCaptureOutput } from '../../../../electron/collector/capture.ts';
import type { CaptureResult } from '../../../../electron/collector/capture-client.ts';
import type { CaptureFeed, Sources } from '../../../../electron/collector/sources.ts';
import { CaptureTier } from '../../../../electron/collector/engine/capture-tier.ts';
import { StatusBoard, type TierEnv } from '../../../../electron/collector/engine/tier.ts';
import { fixture } from '../../../helpers.ts';

const dnsReports = parseCaptureOutput(fixture('linux', 'nw-capture-r-dns--netns-dnsmasq.txt')).reports;

function setup() {
  let now = 1_000_000;
  let granted = false;
  const calls = { start: 0, report: 0, stop: 0 };
  const feed: CaptureFeed = {
    start: async () => { calls.start++; return granted ? null : captureFailure('needs CAP_NET_RAW: socket: Operation not permitted', '/opt/NetWatch/resources/nw-capture'); },
    report: async (): Promise<CaptureResult> => { calls.report++; return { ok: true, report: dnsReports[(calls.report - 1) % dnsReports.length]! }; },
    stop: () => { calls.stop++; },
  };
  let cfg: EngineConfig = defaultConfig();
  const status = new StatusBoard();
  const env: TierEnv = { sources: { capture: feed } as unknown as Sources, os: { ...nodeOs, now: () => now }, config: () => cfg, status };
  const tier = new CaptureTier(env);
  return { tier, status, calls, grant: () => { granted = true; }, advance: (ms: number) => { now += ms; }, set: (p: object) => { cfg = mergeConfig(cfg, p); } };
}

test('without the capability: the reason with the command, retried after a minute, not at every tick', async () => {
  const s = setup();
  await s.tier.collect();
  assert.deepEqual(s.status.get('capture'), { state: 'unavailable', reason: 'needs CAP_NET_RAW — grant it with: sudo setcap cap_net_raw,cap_net_admin+eip /opt/NetWatch/resources/nw-capture' });
  assert.equal(s.tier.active, false);
  assert.match(s.tier.reason!, /^needs CAP_NET_RAW/);
  for (let i = 0; i < 30; i++) { s.advance(1000); await s.tier.collect(); }
  assert.equal(s.calls.start, 1, 'not retried within the minute');
  s.grant();
  s.advance(30_000);
  await s.tier.collect();
  assert.equal(s.calls.start, 2);
  assert.deepEqual(s.status.get('capture'), { state: 'ok' });
  assert.equal(s.tier.section(), null, 'no figures before the first report');
});

test('once capturing: reports are folded in (DNS counts of the real fixture) and drained by the poll', async () => {
  const s = setup();
  s.grant();
  await s.tier.collect(); // starts
  for (let i = 0; i < dnsReports.length; i++) await s.tier.collect();
  const msgs = dnsReports.flatMap((r) => r.dns);
  const d = s.tier.section()!.dns;
  assert.deepEqual(d, {
    method: 'capture', queries: msgs.filter((m) => !m.response).length, responses: msgs.filter((m) => m.response).length,
    nxdomain: msgs.filter((m) => m.response && m.rcode === 3).length, otherErrors: 0, malformed: msgs.filter((m) => m.malformed).length,
  });
  assert.ok(d.queries > 0 && d.nxdomain > 0);
  const drained = await s.tier.drain();
  // The fixture is one report; the drain read it once more: each flow's deltas summed over both.
  const f0 = dnsReports[0]!.flows[0]!;
  const same = drained.flows.find((f) => f.a === f0.a && f.aPort === f0.aPort && f.b === f0.b && f.bPort === f0.bPort && f.proto === f0.proto)!;
  assert.equal(same.ab.payload, 2 * f0.ab.payload);
  assert.equal(drained.flows.length, new Set(dnsReports.flatMap((r) => r.flows).map((f) => `${f.proto}|${f.a}|${f.aPort}|${f.b}|${f.bPort}`)).size);
  // A drain reads one more report first (up to now): only its flows are new.
  const next = dnsReports[s.calls.report % dnsReports.length]!;
  assert.equal((await s.tier.drain()).flows.length, next.flows.length);
});

test('turned off in the config: the helper is stopped and the source says why', async () => {
  const s = setup();
  s.grant();
  await s.tier.collect();
  s.set({ capture: false });
  s.tier.configure();
  assert.equal(s.calls.stop, 1);
  assert.equal(s.tier.active, false);
  assert.deepEqual(s.status.get('capture'), { state: 'unavailable', reason: 'packet capture turned off in settings' });
  assert.equal(s.tier.jobs[0]!.every(defaultConfig(), true), 1000);
  assert.equal(s.tier.jobs[0]!.every({ ...defaultConfig(), capture: false }, true), null, 'off: not scheduled');
});
