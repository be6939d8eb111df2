// No false alarms: ten minutes of ordinary lab traffic recorded once, in real time, by
// scripts/record-intel-lab.ts (test/fixtures/intel/lab-ordinary.jsonl: HTTP keep-alive polling, five
// bursts of 30 parallel connections to one host on 443, an NTP-like query every 64 s, 200 lookups of
// distinct ordinary domains each followed by a connection, a download at 80 % of the bandwidth
// threshold, three refused connections), replayed on the injected clock through the intelligence tier
// and the bandwidth detector with the default thresholds: zero alerts. The same recording with a scan,
// a beacon and a tunnel mixed in, or with lower thresholds, does alert: the silence is the detectors'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig, mergeConfig, type EngineConfig, type EngineConfigPatch, type Interface } from '../../../../shared/index.ts';
import { nodeOs } from '../../../../electron/collector/os.ts';
import { AlertStore, BandwidthDetector } from '../../../../electron/collector/engine/alerts.ts';
import { IntelTier } from '../../../../electron/collector/engine/intel/intel-tier.ts';
import { replay } from '../../../../electron/collector/engine/intel/replay.ts';
import { parseRecording, parseEventLine, type ConnectEvent, type IntelEvent, type RateEvent } from '../../../../electron/collector/engine/intel/events.ts';
import { ROOT } from '../../../helpers.ts';

const text = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'intel', 'lab-ordinary.jsonl'), 'utf8');
const rec = parseRecording(text);
const A = '10.213.80.2', B = '10.213.80.1';

function run(events: readonly IntelEvent[], patch: EngineConfigPatch = {}) {
  const cfg: EngineConfig = mergeConfig(defaultConfig(), patch);
  // The recording's machine: namespace A of the lab, one veth.
  const ifaces = [{ name: 'nwila', type: 'Virtual', ipv4: [`${A}/24`], ipv6: [] } as unknown as Interface];
  const tier = new IntelTier({ config: () => cfg, os: nodeOs }, () => ifaces);
  const bandwidth = new BandwidthDetector(cfg.bandwidthThresholdBps);
  const rates = (r: RateEvent[], now: number) => bandwidth.check(r.map((e) => ({ ...ifaces[0]!, name: e.interface, rxBps: e.rxBps, txBps: e.txBps })), now);
  return replay(events, tier, new AlertStore(), { rates });
}

test('the recording is what it says: 10 minutes, bursts on 443, 200 distinct names, a download at 80 % of the threshold', () => {
  assert.equal(rec.bad, 0, rec.firstError ?? '');
  const ev = rec.events;
  const span = (ev.at(-1)!.ts - ev[0]!.ts) / 1000;
  assert.ok(span >= 595 && span < 620, `${span} s`);
  const conns = ev.filter((e): e is ConnectEvent => e.kind === 'connect');
  assert.ok(conns.filter((c) => c.dstPort === 443 && c.outcome === 'ok').length >= 350, 'bursts and page visits on 443');
  assert.equal(conns.filter((c) => c.dstPort === 80).length, 1, 'keep-alive: one connection for ten minutes of polling');
  assert.equal(conns.filter((c) => c.outcome === 'refused').length, 3);
  const names = new Set(ev.flatMap((e) => (e.kind === 'dns' && !e.msg.response ? [e.msg.qname] : [])));
  assert.equal(names.size, 200);
  const peak = Math.max(...ev.flatMap((e) => (e.kind === 'rate' ? [e.rxBps] : [])));
  const threshold = defaultConfig().bandwidthThresholdBps;
  assert.ok(peak > 0.7 * threshold && peak < threshold, `download peak ${(peak / 1e6).toFixed(1)} MB/s`);
});

test('ten minutes of ordinary traffic replayed with the default thresholds: zero alerts', () => {
  const raised = run(rec.events);
  assert.deepEqual(raised.map((a) => `${a.category}: ${a.detail}`), []);
});

test('the same traffic with a scan, a beacon and a tunnel mixed in: exactly those three alert', () => {
  const t0 = rec.events[0]!.ts + 120_000;
  const scan: ConnectEvent[] = Array.from({ length: 25 }, (_, i) => ({ kind: 'connect', ts: t0 + i * 50, proto: 'tcp', src: '10.213.80.66', srcPort: 61000, dst: A, dstPort: 20 + i, outcome: 'refused', connectMs: null }));
  const beacon: ConnectEvent[] = [0, 5010, 9950, 20_040, 25_000].map((d, i) => ({ kind: 'connect', ts: t0 + 200_000 + d, proto: 'tcp', src: A, srcPort: 42000 + i, dst: B, dstPort: 4444, outcome: 'ok', connectMs: 0.2 }));
  const tunnel = Array.from({ length: 60 }, (_, i) => parseEventLine(JSON.stringify({
    kind: 'dns', ts: t0 + 300_000 + i * 1000,
    msg: { atUs: (t0 + 300_000 + i * 1000) * 1000, proto: 'udp', src: A, srcPort: 33000 + i, dst: B, dstPort: 53, id: i, response: false, opcode: 0, rcode: 0, qtype: 16, qname: `q${i}x${(i * 2654435761) % 1e6}.tunnel.nw.test`, answerCount: 0, answers: [], malformed: false },
  })));
  const extra = [...scan, ...beacon, ...tunnel.map((p) => { assert.ok(p.ok); return p.event; })];
  const raised = run([...rec.events, ...extra].sort((x, y) => x.ts - y.ts));
  assert.deepEqual(raised.map((a) => a.key).sort(), ['beaconing:10.213.80.2:10.213.80.1:4444', 'dns-tunnel:rate:nw.test', 'portscan:10.213.80.66:10.213.80.2']);
});

test('with the bandwidth threshold lowered to 60 % of the download, the download alerts (the replay feeds the rates)', () => {
  const raised = run(rec.events, { bandwidthThresholdBps: 0.6 * 0.8 * defaultConfig().bandwidthThresholdBps });
  assert.deepEqual([...new Set(raised.map((a) => a.category))], ['bandwidth']);
});
