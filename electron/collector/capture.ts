// Output of native/nw-capture: one report per request, each a few lines, never one per packet.
// Tab-separated; addresses as inet_ntop prints them; times in µs since the epoch; bytes are IP bytes
// (header included), payload the transport payload (TCP/UDP data). Also read on macOS (same helper).
import { isIP } from 'node:net';

/** Packets and bytes one way, for the interval of one report. */
export interface DirCount { packets: number; bytes: number; payload: number }

/** A flow's deltas since the last report. `a` sent the first packet seen (for TCP: the SYN). */
export interface FlowDelta { proto: number; a: string; aPort: number; b: string; bPort: number; ab: DirCount; ba: DirCount }

export type HandshakeOutcome = 'ok' | 'refused' | 'timeout';
/** A TCP connection attempt from src whose outcome became known in this interval. */
export interface Handshake {
  synUs: number; src: string; srcPort: number; dst: string; dstPort: number; outcome: HandshakeOutcome;
  /** SYN → SYN-ACK in µs; null unless ok. */
  connectUs: number | null;
}

export interface DnsMessage {
  atUs: number; proto: 'udp' | 'tcp'; src: string; srcPort: number; dst: string; dstPort: number;
  id: number; response: boolean; opcode: number; rcode: number; qtype: number;
  /** First question in presentation form (bytes outside [A-Za-z0-9_-] as \DDD); null if none. */
  qname: string | null;
  answerCount: number;
  /** A and AAAA answers, at most 8. */
  answers: string[];
  malformed: boolean;
}

export interface CaptureStats {
  atUs: number; packets: number; bytes: number; capturedBytes: number; undecoded: number;
  /** pcap_stats deltas for this interval; null when replaying a file. */
  kernelDrops: number | null; interfaceDrops: number | null; kernelReceived: number | null;
  /** Flows in the table now; SYNs waiting for an answer now. */
  flows: number; synWaiting: number;
  synLost: number; attempts: number; eventsLost: number;
  /** The helper's peak resident memory (getrusage), KiB. */
  maxRssKb: number;
}

export interface CaptureReport {
  flows: FlowDelta[];
  /** Deltas of flows evicted from the full table before they were reported, and how many were. */
  other: DirCount & { evicted: number };
  handshakes: Handshake[]; dns: DnsMessage[]; stats: CaptureStats;
}

export interface CaptureHello { version: number; source: string; linkType: number; snapHeaders: number; maxFlows: number }

export type CaptureLine =
  | { kind: 'hello'; hello: CaptureHello }
  | { kind: 'flow'; flow: FlowDelta }
  | { kind: 'other'; other: CaptureReport['other'] }
  | { kind: 'handshake'; handshake: Handshake }
  | { kind: 'dns'; dns: DnsMessage }
  | { kind: 'stats'; stats: CaptureStats }
  | { kind: 'error'; message: string }
  | { kind: 'end' };

/** A non-negative safe integer, or null. "-" is null too. */
function int(s: string | undefined): number | null {
  if (s === undefined || !/^\d{1,16}$/.test(s)) return null;
  const v = Number(s);
  return Number.isSafeInteger(v) ? v : null;
}
const port = (s: string | undefined) => { const v = int(s); return v !== null && v <= 65535 ? v : null; };
const addr = (s: string | undefined) => (s && isIP(s) ? s : null);

function dir(f: string[], i: number): DirCount | null {
  const packets = int(f[i]), bytes = int(f[i + 1]), payload = int(f[i + 2]);
  return packets === null || bytes === null || payload === null ? null : { packets, bytes, payload };
}

/**
 * One line of a report; undefined for a line that does not follow the format. Samples:
 * `H	1	any	113	128	16384` version source link-type snap-headers max-flows
 * `F	17	10.213.50.2	47101	10.213.50.1	5000	12	13372	13100	0	0	0`
 *   proto a a_port b b_port  a→b: packets bytes payload  b→a: packets bytes payload
 * `O	0	0	0	0` evicted flows' packets bytes payload, flows evicted
 * `C	1796123900472444	10.213.50.2	57080	10.213.50.1	7	refused	7` syn_us src sport dst dport outcome µs
 * `D	1796123872064611	17	10.213.50.1	53	10.213.50.2	56961	10187	1	0	3	1	nope.nw.test	0	-	ok`
 *   at_us proto src sport dst dport id qr opcode rcode qtype qname ancount answers(,) ok|malformed
 * `S	1796123816872858	24889	4333759	2056846	0	0	0	50707	4459	0	0	2485	0	7744`
 *   at_us packets bytes captured undecoded kernel_drop if_drop kernel_recv flows syn_waiting syn_lost
 *   attempts events_lost max_rss_kb
 * `E	needs CAP_NET_RAW: …`, `.` the end of a report
 */
export function parseCaptureLine(line: string): CaptureLine | undefined {
  if (line === '.') return { kind: 'end' };
  const f = line.split('\t');
  switch (f[0]) {
    case 'H': {
      const version = int(f[1]), linkType = int(f[3]), snapHeaders = int(f[4]), maxFlows = int(f[5]);
      if (f.length !== 6 || version === null || linkType === null || snapHeaders === null || maxFlows === null) return undefined;
      return { kind: 'hello', hello: { version, source: f[2]!, linkType, snapHeaders, maxFlows } };
    }
    case 'F': {
      const proto = int(f[1]), a = addr(f[2]), aPort = port(f[3]), b = addr(f[4]), bPort = port(f[5]);
      const ab = dir(f, 6), ba = dir(f, 9);
      if (f.length !== 12 || proto === null || proto > 255 || !a || aPort === null || !b || bPort === null || !ab || !ba) return undefined;
      return { kind: 'flow', flow: { proto, a, aPort, b, bPort, ab, ba } };
    }
    case 'O': {
      const d = dir(f, 1), evicted = int(f[4]);
      if (f.length !== 5 || !d || evicted === null) return undefined;
      return { kind: 'other', other: { ...d, evicted } };
    }
    case 'C': {
      const synUs = int(f[1]), src = addr(f[2]), srcPort = port(f[3]), dst = addr(f[4]), dstPort = port(f[5]), us = int(f[7]);
      const outcome = f[6];
      if (f.length !== 8 || synUs === null || !src || srcPort === null || !dst || dstPort === null || us === null) return undefined;
      if (outcome !== 'ok' && outcome !== 'refused' && outcome !== 'timeout') return undefined;
      return { kind: 'handshake', handshake: { synUs, src, srcPort, dst, dstPort, outcome, connectUs: outcome === 'ok' ? us : null } };
    }
    case 'D': return dnsLine(f);
    case 'S': {
      const n = f.slice(1).map(int);
      if (f.length !== 15 || n.some((v, i) => v === null && (i < 5 || i > 7))) return undefined;
      const [atUs, packets, bytes, capturedBytes, undecoded, kernelDrops, interfaceDrops, kernelReceived, flows, synWaiting, synLost, attempts, eventsLost, maxRssKb] = n;
      // A file has no kernel counters: all three "-"; live, all three are numbers.
      const none = f[6] === '-' && f[7] === '-' && f[8] === '-';
      if (!none && (kernelDrops === null || interfaceDrops === null || kernelReceived === null)) return undefined;
      return { kind: 'stats', stats: { atUs: atUs!, packets: packets!, bytes: bytes!, capturedBytes: capturedBytes!, undecoded: undecoded!, kernelDrops: kernelDrops ?? null, interfaceDrops: interfaceDrops ?? null, kernelReceived: kernelReceived ?? null, flows: flows!, synWaiting: synWaiting!, synLost: synLost!, attempts: attempts!, eventsLost: eventsLost!, maxRssKb: maxRssKb! } };
    }
    case 'E': return f.length >= 2 ? { kind: 'error', message: f.slice(1).join(' ') } : undefined;
    default: return undefined;
  }
}

function dnsLine(f: string[]): CaptureLine | undefined {
  if (f.length !== 16) return undefined;
  const atUs = int(f[1]), proto = f[2] === '17' ? 'udp' : f[2] === '6' ? 'tcp' : null;
  const src = addr(f[3]), srcPort = port(f[4]), dst = addr(f[5]), dstPort = port(f[6]);
  const id = port(f[7]), qr = int(f[8]), opcode = int(f[9]), rcode = int(f[10]), qtype = port(f[11]), answerCount = port(f[13]);
  const answers = f[14] === '-' ? [] : f[14]!.split(',');
  if (atUs === null || !proto || !src || srcPort === null || !dst || dstPort === null || id === null || qtype === null || answerCount === null) return undefined;
  if ((qr !== 0 && qr !== 1) || opcode === null || opcode > 15 || rcode === null || rcode > 15 || !f[12]) return undefined;
  if (answers.some((a) => !isIP(a)) || (f[15] !== 'ok' && f[15] !== 'malformed')) return undefined;
  return { kind: 'dns', dns: { atUs, proto, src, srcPort, dst, dstPort, id, response: qr === 1, opcode, rcode, qtype, qname: f[12] === '-' ? null : f[12], answerCount, answers, malformed: f[15] === 'malformed' } };
}

/** Collects report lines; `line` returns a finished report at each `.`. Unknown lines are counted. */
export class ReportBuilder {
  hello: CaptureHello | null = null;
  error: string | null = null;
  bad = 0;
  #flows: FlowDelta[] = [];
  #other: CaptureReport['other'] | null = null;
  #handshakes: Handshake[] = [];
  #dns: DnsMessage[] = [];
  #stats: CaptureStats | null = null;

  line(text: string): CaptureReport | null {
    const l = parseCaptureLine(text);
    if (!l) { if (text !== '') this.bad++; return null; }
    switch (l.kind) {
      case 'hello': this.hello = l.hello; return null;
      case 'flow': this.#flows.push(l.flow); return null;
      case 'other': this.#other = l.other; return null;
      case 'handshake': this.#handshakes.push(l.handshake); return null;
      case 'dns': this.#dns.push(l.dns); return null;
      case 'stats': this.#stats = l.stats; return null;
      case 'error': this.error = l.message; return null;
      case 'end': return this.#finish();
      default: { const never: never = l; return never; }
    }
  }

  #finish(): CaptureReport | null {
    const stats = this.#stats, other = this.#other;
    const r = stats && other ? { flows: this.#flows, other, handshakes: this.#handshakes, dns: this.#dns, stats } : null;
    if (!r) this.bad++; // a report without its O or S line is not one
    this.#flows = []; this.#handshakes = []; this.#dns = []; this.#other = null; this.#stats = null;
    return r;
  }
}

/** Every report in a whole output (e.g. `nw-capture -r FILE`). */
export function parseCaptureOutput(text: string): { hello: CaptureHello | null; reports: CaptureReport[]; error: string | null; bad: number } {
  const b = new ReportBuilder();
  const reports: CaptureReport[] = [];
  for (const l of text.split('\n')) { const r = b.line(l); if (r) reports.push(r); }
  return { hello: b.hello, reports, error: b.error, bad: b.bad };
}

/** The reason shown for a helper error; the missing capability gets the one command that grants it. */
export function captureFailure(message: string, helperPath: string): string {
  if (/needs CAP_NET_RAW/.test(message)) {
    return `unavailable: needs CAP_NET_RAW — grant it with: sudo setcap cap_net_raw,cap_net_admin+eip ${helperPath}`;
  }
  // macOS: libpcap opens /dev/bpf*, root's alone unless Wireshark's ChmodBPF gives the access_bpf group read access.
  if (/needs BPF access/.test(message)) {
    return 'unavailable: needs read access to /dev/bpf* — install Wireshark\'s ChmodBPF (it gives the access_bpf group that access at every boot), then join the group: sudo dseditgroup -o edit -a "$USER" -t user access_bpf';
  }
  if (/not installed|ENOENT/.test(message)) return 'unavailable: nw-capture not built (install libpcap-dev, then npm run build:native)';
  return `unavailable: ${message}`;
}
