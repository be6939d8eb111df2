// npm run bench (part) — what the intelligence tier costs (issue 14): CPU per second of events at
// 10,000 events/s, fed as the capture tier hands them over (one batch a second, alerts applied after
// each, the tier's tick every 30 s of event time). Two mixes:
//   ordinary — 60 % connection attempts from this machine to 2,000 hosts on 443/80 (2 % refused), 40 %
//              DNS queries and their responses for 5,000 names under 500 domains;
//   attack   — 50 % a port scan from 50 sources, 30 % random subdomains of one domain, 20 % ordinary.
// Events are made before each second's batch and not counted; CPU is this process's (user + system)
// over the ingest, ms per second of events (= ‰ of a core). --quick: 5 s of events per mix, else 30 s.
import { defaultConfig, type Interface } from '../shared/index.ts';
import { nodeOs } from '../electron/collector/os.ts';
import { AlertStore } from '../electron/collector/engine/alerts.ts';
import { IntelTier, INTEL_TICK_MS } from '../electron/collector/engine/intel/intel-tier.ts';
import type { IntelEvent } from '../electron/collector/engine/intel/events.ts';

const QUICK = process.argv.includes('--quick');
const SECONDS = QUICK ? 5 : 30;
const RATE = 10_000;
const ME = '10.0.0.2', RESOLVER = '10.0.0.1';
const T0 = 1_800_000_000_000;
let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = (n: number) => Math.floor(rand() * n);
let dnsId = 0;

function ordinary(ts: number, out: IntelEvent[]): void {
  if (rand() < 0.6) {
    out.push({ kind: 'connect', ts, proto: 'tcp', src: ME, srcPort: 32768 + pick(28000), dst: `172.16.${pick(8)}.${pick(250)}`, dstPort: rand() < 0.8 ? 443 : 80,
      outcome: rand() < 0.02 ? 'refused' : 'ok', connectMs: 12 });
    return;
  }
  const qname = `h${pick(10)}.site${pick(500)}.com`, id = dnsId++ % 65536, port = 40000 + pick(20000);
  const base = { proto: 'udp' as const, id, opcode: 0, rcode: 0, qtype: 1, qname, malformed: false };
  out.push({ kind: 'dns', ts, msg: { ...base, atUs: ts * 1000, src: ME, srcPort: port, dst: RESOLVER, dstPort: 53, response: false, answerCount: 0, answers: [] } });
  out.push({ kind: 'dns', ts: ts + 3, msg: { ...base, atUs: (ts + 3) * 1000, src: RESOLVER, srcPort: 53, dst: ME, dstPort: port, response: true, answerCount: 1, answers: [`172.16.${pick(8)}.${pick(250)}`] } });
}

let scanPort = 1;
function attack(ts: number, out: IntelEvent[]): void {
  const r = rand();
  if (r < 0.5) {
    out.push({ kind: 'connect', ts, proto: 'tcp', src: `198.51.100.${pick(50)}`, srcPort: 61000, dst: ME, dstPort: (scanPort++ % 65535) + 1, outcome: 'refused', connectMs: null });
  } else if (r < 0.8) {
    const qname = `${Math.floor(rand() * 2 ** 48).toString(36)}.t.exfil.example.net`;
    out.push({ kind: 'dns', ts, msg: { atUs: ts * 1000, proto: 'udp', src: ME, srcPort: 40000 + pick(20000), dst: RESOLVER, dstPort: 53, id: dnsId++ % 65536, response: false, opcode: 0, rcode: 0, qtype: 16, qname, answerCount: 0, answers: [], malformed: false } });
  } else ordinary(ts, out);
}

function measure(name: string, gen: (ts: number, out: IntelEvent[]) => void): void {
  const cfg = defaultConfig();
  const ifaces = [{ name: 'eth0', ipv4: [`${ME}/24`], ipv6: [] } as unknown as Interface];
  const tier = new IntelTier({ config: () => cfg, os: nodeOs }, () => ifaces);
  const store = new AlertStore();
  const raised = new Map<string, number>();
  let cpu = 0, events = 0, nextTick = T0 + INTEL_TICK_MS;
  for (let s = 0; s < SECONDS; s++) {
    const batch: IntelEvent[] = [];
    while (batch.length < RATE) gen(T0 + s * 1000 + (batch.length * 1000) / RATE, batch);
    const now = T0 + (s + 1) * 1000;
    const c0 = process.cpuUsage();
    tier.ingest(batch);
    for (const a of store.apply(tier.take(), now)) raised.set(a.category, (raised.get(a.category) ?? 0) + 1);
    if (now >= nextTick) { tier.tick(now); nextTick += INTEL_TICK_MS; }
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
    events += batch.length;
  }
  const msPerSec = cpu / SECONDS;
  console.log(`${name.padEnd(8)} ${(events / SECONDS).toFixed(0)} events/s for ${SECONDS} s: ${msPerSec.toFixed(1)} ms CPU per second of events (${(msPerSec / 10).toFixed(2)} % of a core); alerts raised: ${JSON.stringify(Object.fromEntries(raised))}; sizes ${JSON.stringify(tier.sizes())}`);
}

console.log('intelligence tier, 10k events/s:');
measure('ordinary', ordinary);
measure('attack', attack);
