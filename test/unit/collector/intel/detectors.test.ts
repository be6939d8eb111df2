// The three packet-level detectors on hand-made event sequences, for their edges: exactly at a
// threshold and one below, a missed beat, a CDN burst, allow-listed traffic, thresholds and switches
// changed live through the config. The events are the inputs under test (the captures they stand for are
// exercised in test/integration/intel-netns.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, mergeConfig, AlertSchema, type EngineConfig, type EngineConfigPatch, type Interface } from '../../../../shared/index.ts';
import { nodeOs } from '../../../../electron/collector/os.ts';
import { AlertStore } from '../../../../electron/collector/engine/alerts.ts';
import { IntelTier } from '../../../../electron/collector/engine/intel/intel-tier.ts';
import { regularity } from '../../../../electron/collector/engine/intel/beaconing.ts';
import { nameBytes } from '../../../../electron/collector/engine/intel/dns-tunnel.ts';
import { parentDomain } from '../../../../electron/collector/engine/intel/allow.ts';
import type { ConnectEvent, IntelEvent } from '../../../../electron/collector/engine/intel/events.ts';
import type { DnsMessage } from '../../../../electron/collector/capture.ts';

const ME = '10.213.1.2', PEER = '10.213.1.1';
const T0 = 1_800_000_000_000;

function setup(patch: EngineConfigPatch = {}) {
  let cfg: EngineConfig = mergeConfig(defaultConfig(), patch);
  const iface = { name: 'eth0', ipv4: [`${ME}/24`], ipv6: [] } as unknown as Interface;
  const ifaces = [iface];
  const tier = new IntelTier({ config: () => cfg, os: nodeOs }, () => ifaces);
  const store = new AlertStore();
  return {
    tier, store,
    set: (p: EngineConfigPatch) => { cfg = mergeConfig(cfg, p); },
    /** Feeds events and applies what they raised at the last event's time. */
    feed: (events: IntelEvent[]) => {
      tier.ingest(events);
      const raised = store.apply(tier.take(), events.at(-1)?.ts ?? T0);
      for (const a of raised) assert.ok(AlertSchema.safeParse(a).success, JSON.stringify(a));
      return raised;
    },
  };
}

const conn = (ts: number, over: Partial<ConnectEvent> = {}): ConnectEvent => ({
  kind: 'connect', ts, proto: 'tcp', src: PEER, srcPort: 40000, dst: ME, dstPort: 1, outcome: 'refused', connectMs: null, ...over,
});
/** `n` failed attempts from src to n distinct ports of dst, 10 ms apart. */
const scan = (n: number, over: Partial<ConnectEvent> = {}, t = T0) => Array.from({ length: n }, (_, i) => conn(t + i * 10, { dstPort: 1000 + i, ...over }));

test('port scan: 19 failed ports is no scan, the 20th raises one, naming the scanner, inbound, with a port sample', () => {
  const s = setup();
  assert.deepEqual(s.feed(scan(19)), []);
  const [a] = s.feed([conn(T0 + 500, { dstPort: 5000 })]);
  assert.ok(a);
  assert.equal(a.category, 'portscan');
  assert.match(a.title, /10\.213\.1\.1/);
  assert.equal(a.evidence?.source, PEER);
  assert.equal(a.evidence?.destination, ME);
  assert.equal(a.evidence?.direction, 'inbound');
  assert.equal(a.evidence?.ports?.count, 20);
  assert.equal(a.evidence?.ports?.sample.length, 20);
  assert.equal(a.evidence?.windowSec, 30);
});

test('port scan: outbound when this machine is the scanner; timeouts count as failures', () => {
  const s = setup();
  const [a] = s.feed(scan(20, { src: ME, dst: PEER, outcome: 'timeout' }));
  assert.equal(a?.evidence?.direction, 'outbound');
  assert.equal(a?.evidence?.source, ME);
});

test('port scan: a CDN burst (30 successful connections to one port, then many to 443 and 80) is not a scan', () => {
  const s = setup();
  const burst = Array.from({ length: 30 }, (_, i) => conn(T0 + i, { src: ME, dst: PEER, dstPort: 443, srcPort: 50000 + i, outcome: 'ok', connectMs: 1 }));
  // Even 25 successful connections to 25 different ports are no scan: only failures count.
  const ok = Array.from({ length: 25 }, (_, i) => conn(T0 + 100 + i, { src: ME, dst: PEER, dstPort: 8000 + i, outcome: 'ok', connectMs: 1 }));
  assert.deepEqual(s.feed([...burst, ...ok]), []);
});

test('port scan: 20 ports spread over more than the window are no scan; a threshold changed live applies at once', () => {
  const s = setup();
  // One failed port every 2 s: 16 in any 30 s window.
  const slow = Array.from({ length: 40 }, (_, i) => conn(T0 + i * 2000, { dstPort: 2000 + i }));
  assert.deepEqual(s.feed(slow), []);
  s.set({ intel: { ...defaultConfig().intel, portScan: { ports: 10, windowSec: 30 } } });
  const [a] = s.feed([conn(T0 + 80_001, { dstPort: 3000 })]);
  assert.equal(a?.category, 'portscan', 'the next attempt alerts under the new threshold');
  assert.equal(a?.threshold, 10);
});

test('port scan: the detector switched off raises nothing, on again it does; allow-listed hosts never', () => {
  const s = setup({ detectors: { portscan: false } });
  assert.deepEqual(s.feed(scan(30)), []);
  s.set({ detectors: { portscan: true } });
  assert.equal(s.feed(scan(30, {}, T0 + 1000)).length, 1);
  const u = setup({ intel: { ...defaultConfig().intel, allow: [{ kind: 'host', value: PEER }] } });
  assert.deepEqual(u.feed(scan(30)), []);
});

/** Attempts from this machine at the given times (ms from T0), each its own connection. */
const beats = (times: number[], port = 8443) => times.map((t, i) => conn(T0 + t, { src: ME, srcPort: 41000 + i, dst: PEER, dstPort: port, outcome: 'ok', connectMs: 1 }));

test('beaconing: every 5 s ± 5 %, one beat missed: an alert at the fifth attempt, period ≈ 5 s', () => {
  const s = setup();
  // 0, 5, 10, (15 missed), 20, 25 s with jitter within ± 5 %.
  const times = [0, 5120, 9880, 20_150, 24_900];
  assert.deepEqual(s.feed(beats(times.slice(0, 4))), [], 'four attempts are not enough');
  const [a] = s.feed(beats(times).slice(4));
  assert.equal(a?.category, 'beaconing');
  assert.ok(Math.abs(a.evidence!.periodMs! - 5000) < 250, `period ${a.evidence!.periodMs}`);
  assert.ok(a.evidence!.jitterPct! < 15);
  assert.deepEqual(a.evidence!.intervalsMs, [5120, 4760, 10_270, 4750]);
  assert.equal(a.evidence!.count, 5);
  assert.equal(a.evidence!.ports?.sample[0], 8443);
});

test('beaconing: irregular attempts (a person browsing) and bursts (< 2 s apart) are no beacon', () => {
  const s = setup();
  assert.deepEqual(s.feed(beats([0, 3000, 11_000, 12_500, 30_000, 31_000, 47_000, 60_000])), []);
  // Five bursts of ten connections 1 ms apart, a page load every 7–40 s: the bursts merge into beats.
  const page = (t: number) => Array.from({ length: 10 }, (_, i) => t + i);
  assert.deepEqual(s.feed(beats([0, 7000, 47_000, 60_000, 100_000].flatMap(page), 443)), []);
});

test('beaconing: at the jitter threshold is no beacon, just under it is; two missed beats in five intervals are too many', () => {
  // MAD / median: intervals 1000 × k with deviations chosen so that the jitter is exactly 15 %.
  assert.equal(regularity([1000, 1150, 850, 1000])!.jitterPct, 7.5);
  const at = regularity([1000, 1150, 850, 1150, 850, 1150, 850])!;
  assert.equal(at.jitterPct, 15);
  // Five attempts, intervals 2550, 3450, 2550, 3450 ms: median 3000, every deviation 450: exactly 15 %.
  const s = setup();
  assert.deepEqual(s.feed(beats([0, 2550, 6000, 8550, 12_000])), [], '15 % is not < 15 %');
  s.set({ intel: { ...defaultConfig().intel, beaconing: { attempts: 5, jitterPct: 16 } } });
  const [a] = s.feed(beats([15_000]));
  assert.equal(a?.category, 'beaconing', 'a threshold raised live: the next attempt alerts');
  assert.equal(a.evidence?.jitterPct, 15);
  assert.equal(regularity([5000, 10_000, 5000, 10_000, 5000]), null, "two missed beats in five intervals");
  assert.equal(regularity([5000, 10_000, 5000, 5000, 5000])?.jitterPct, 0, "one is tolerated");
});

test('beaconing: inbound periodic connections (a scraper polling this machine) and NTP-like traffic are not beacons', () => {
  const s = setup();
  const inbound = [0, 5000, 10_000, 15_000, 20_000, 25_000].map((t, i) => conn(T0 + t, { srcPort: 30000 + i, dstPort: 9100, outcome: 'ok', connectMs: 1 }));
  assert.deepEqual(s.feed(inbound), []);
  const ntp = [0, 64_000, 128_000, 192_000, 256_000, 320_000].map((t, i) => conn(T0 + t, { proto: 'udp', src: ME, srcPort: 123 + i, dst: PEER, dstPort: 123, outcome: 'ok', connectMs: null }));
  assert.deepEqual(s.feed(ntp), []);
  const push = beats([0, 60_000, 120_000, 180_000, 240_000, 300_000], 5223);
  assert.deepEqual(s.feed(push), [], 'APNs reconnects');
});

const q = (ts: number, qname: string, over: Partial<DnsMessage> = {}): IntelEvent => ({
  kind: 'dns', ts, msg: { atUs: ts * 1000, proto: 'udp', src: ME, srcPort: 50000, dst: PEER, dstPort: 53, id: ts % 65536, response: false, opcode: 0, rcode: 0, qtype: 1, qname, answerCount: 0, answers: [], malformed: false, ...over },
});

test('DNS tunnel: an 81-byte name alerts, an 80-byte one does not; escapes count as one byte', () => {
  const s = setup();
  const name = (bytes: number) => `${'a'.repeat(bytes - 'x.nw.test'.length - 1)}.x.nw.test`;
  assert.equal(nameBytes(name(80)), 80);
  assert.equal(nameBytes('\\255\\.a.nw.test'), 'xxa.nw.test'.length);
  assert.deepEqual(s.feed([q(T0, name(80))]), []);
  const [a] = s.feed([q(T0 + 10, name(81))]);
  assert.equal(a?.category, 'dns-tunnel');
  assert.equal(a.evidence?.domain, 'nw.test');
  assert.equal(a.evidence?.names?.[0], name(81));
  assert.equal(a.value, 81);
});

test('DNS tunnel: 51 queries in a minute with 31 distinct names alert; 50, or 31 names repeated, do not', () => {
  const s = setup();
  const sub = (i: number) => q(T0 + i * 1000, `r${i}x${(i * 7919) % 1000}.tunnel.example.co.uk`, { id: i });
  assert.equal(parentDomain('r1.tunnel.example.co.uk'), 'example.co.uk');
  assert.deepEqual(s.feed(Array.from({ length: 50 }, (_, i) => sub(i))), [], '50 is not more than 50');
  const [a] = s.feed([sub(50)]);
  assert.equal(a?.category, 'dns-tunnel');
  assert.equal(a.evidence?.domain, 'example.co.uk');
  assert.equal(a.evidence?.queriesPerMin, 51);
  assert.equal(a.evidence?.uniqueSubdomains, 51);
  assert.equal(a.evidence?.names?.length, 5);
  // The same 5 names asked again and again (a busy but ordinary site): many queries, few names.
  const t = setup();
  assert.deepEqual(t.feed(Array.from({ length: 120 }, (_, i) => q(T0 + i * 400, `h${i % 5}.cdn.example.com`, { id: i }))), []);
});

test('DNS tunnel: resends of one query count once; QNAME-minimisation probes, reverse lookups, mDNS and allowed domains never alert', () => {
  const s = setup();
  // The same query (same id, port and name) resent 100 times within 5 s: one query.
  assert.deepEqual(s.feed(Array.from({ length: 100 }, (_, i) => q(T0 + i * 40, 'a.b.example.org', { id: 7 }))), []);
  const arpa = Array.from({ length: 100 }, (_, i) => q(T0 + i * 100, `${'1.0.'.repeat(16)}${i.toString(16).split('').join('.')}.ip6.arpa`, { id: i }));
  const probes = Array.from({ length: 100 }, (_, i) => q(T0 + i * 100, `_.l${i}.example.net`, { id: i }));
  const mdns = Array.from({ length: 100 }, (_, i) => q(T0 + i * 100, `${'x'.repeat(70)}${i}._airplay._tcp.local`, { id: i, dst: '224.0.0.251', dstPort: 5353, srcPort: 5353 }));
  assert.deepEqual(s.feed([...arpa, ...probes, ...mdns]), []);
  const u = setup({ intel: { ...defaultConfig().intel, allow: [{ kind: 'domain', value: 'corp.example' }] } });
  assert.deepEqual(u.feed(Array.from({ length: 100 }, (_, i) => q(T0 + i * 100, `${'k'.repeat(90)}${i}.corp.example`, { id: i }))), []);
});

test('a threshold changed live applies to the next query; switched off, the detector raises nothing', () => {
  const s = setup();
  const names = Array.from({ length: 20 }, (_, i) => q(T0 + i * 100, `n${i}.ex.org`, { id: i }));
  assert.deepEqual(s.feed(names), []);
  s.set({ intel: { ...defaultConfig().intel, dnsTunnel: { nameBytes: 80, queriesPerMin: 10, uniqueSubdomains: 10 } } });
  assert.equal(s.feed([q(T0 + 2100, 'n21.ex.org', { id: 21 })]).length, 1);
  s.set({ detectors: { 'dns-tunnel': false } });
  assert.deepEqual(s.feed([q(T0 + 2200, `${'z'.repeat(100)}.other.org`, { id: 22 })]), []);
});

test('alerts age out 60 s after the last trigger; the tick prunes the windows', () => {
  const s = setup();
  assert.equal(s.feed(scan(20)).length, 1);
  s.store.apply([], T0 + 61_000);
  assert.equal(s.store.active().length, 0);
  assert.equal(s.store.history().length, 1);
  assert.ok(s.tier.sizes().ports > 0);
  s.tier.tick(T0 + 31_000);
  assert.equal(s.tier.sizes().ports, 0);
  assert.equal(s.tier.sizes().pairs, 0);
});

test('beaconing: a beacon resuming after a pause (sleep) alerts again after five beats; random arrivals to one host never', () => {
  const s = setup();
  const before = [0, 5000, 10_000, 15_000, 20_000];
  assert.equal(s.feed(beats(before)).length, 1);
  const after = [3_620_000, 3_625_050, 3_629_980, 3_635_000, 3_640_020];
  assert.deepEqual(s.feed(beats(after.slice(0, 4))), [], 'four beats after the pause');
  s.store.apply([], T0 + 3_700_000);
  assert.equal(s.feed(beats(after).slice(4)).length, 1, 'the fifth after the pause');
  // 2,000 attempts with exponential inter-arrival times (mean 3 s, a fixed LCG so the test is repeatable).
  let x = 12345;
  const rand = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  let t = 0;
  const times = Array.from({ length: 2000 }, () => (t += -3000 * Math.log(1 - rand())));
  const r = setup();
  assert.deepEqual(r.feed(beats(times, 443)), []);
});

test('beaconing: random arrivals (Poisson, 0.1–1 per second, 2 minutes each) rarely look regular — under 1 % of 2,000 flows per rate', async () => {
  // What the bench's ordinary mix showed: with the band at twice the threshold and one odd interval in
  // five tolerated, 4–7 % of random flows raised an alert within two minutes.
  const { BeaconDetector } = await import('../../../../electron/collector/engine/intel/beaconing.ts');
  const t = defaultConfig().intel.beaconing;
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (const rate of [0.1, 0.2, 0.4, 1]) {
    let hits = 0;
    for (let f = 0; f < 2000; f++) {
      const d = new BeaconDetector();
      for (let ts = T0; ts < T0 + 120_000;) {
        ts += (-Math.log(1 - rand()) / rate) * 1000;
        if (d.add(conn(ts), t)) { hits++; break; }
      }
    }
    assert.ok(hits < 20, `${rate}/s: ${hits} of 2000 random flows alerted`);
  }
});
