// The packet capture's Prometheus series (contract: shared/contract/flows.ts, intel.ts): DNS messages,
// the DNS analytics' latency histogram, TCP connection outcomes (the capture's handshakes, or the
// socket-destroy events without it) and connect time, UDP credit and the capture's own drops. Each
// group is absent while its source is (snapshot.capture null: the capture does not run,
// sources.capture says why; snapshot.dns null or absent: no DNS analytics); counters
// count from the exporter's start and never go down (Accumulator), so a helper or engine restart is
// no reset to rate(). No label holds an address, a pid, a port or a name: CAPTURE_SERIES is fixed.
import { DNS_LATENCY_BUCKETS_MS, type Snapshot } from '../../../shared/index.ts';
import { Accumulator, Histogram, type Exposition } from './prom-text.ts';

/** The DNS analytics' latency buckets (shared/contract/intel.ts), in seconds. */
export const DNS_BUCKETS_S: readonly number[] = DNS_LATENCY_BUCKETS_MS.map((ms) => ms / 1000);

/**
 * At most: DNS 5 counters + unanswered + the latency histogram (buckets + 3); connects 2 + 3 failure
 * reasons + 2 connect-time gauges; UDP 2; capture packets, 2 drop places, lost events, evicted flows.
 */
export const CAPTURE_SERIES = 6 + (DNS_BUCKETS_S.length + 3) + 7 + 2 + 5;

const FAILURE_REASONS = ['refused', 'timed_out', 'other'] as const;
type Reading = Record<string, number>;

export class CaptureMetrics {
  /** One accumulator per counter, keyed by the series it feeds; `#seen` says which were read this snapshot. */
  #acc = new Map<string, Accumulator>();
  #seen = new Set<string>();
  #dnsMethod: string | null = null;
  #connect: { method: string; p95: number | null; avg: number | null } | null = null;
  #latency = false;

  #count(key: string, reading: number): void {
    let a = this.#acc.get(key);
    if (!a) this.#acc.set(key, (a = new Accumulator()));
    a.add('', reading);
    this.#seen.add(key);
  }

  #total = (key: string): number => this.#acc.get(key)?.total ?? 0;

  update(s: Snapshot): void {
    this.#seen = new Set();
    const c = s.capture ?? null;
    const a = s.dns ?? null;
    if (c) {
      const r: Reading = {
        packets: c.packets, kernel: c.kernelDrops, interface: c.interfaceDrops, lost: c.eventsLost, evicted: c.evictedFlows,
        udpCredited: c.udp.creditedBytes, udpUnattributed: c.udp.unattributedBytes,
      };
      for (const [k, v] of Object.entries(r)) this.#count(k, v);
    }
    // DNS message counts: the capture's decoder when it runs (it also counts error rcodes and
    // malformed messages), else the analytics' own source (systemd-resolved's monitor).
    const dns = c ? { method: c.dns.method, queries: c.dns.queries, responses: c.dns.responses, nxdomain: c.dns.nxdomain, errors: c.dns.otherErrors, malformed: c.dns.malformed }
      : a ? { method: a.method, queries: a.queries, responses: a.responses, nxdomain: a.nxdomain } : null;
    this.#dnsMethod = dns?.method ?? null;
    if (dns) for (const [k, v] of Object.entries(dns)) if (typeof v === 'number') this.#count(`dns.${dns.method}.${k}`, v);
    if (a) this.#count(`dns.${a.method}.unanswered`, a.unanswered);
    // The latency histogram needs per-message timing: only the capture's analytics have it.
    this.#latency = a !== null && a.method === 'capture' && a.latencyBuckets.length === DNS_BUCKETS_S.length + 1;
    if (this.#latency) {
      a!.latencyBuckets.forEach((n, i) => this.#count(`latency.${i}`, n));
      this.#count('latency.sum', a!.latencySumMs);
    }
    // Connection outcomes: the capture's handshakes, or without it the socket-destroy events (refused
    // and timed out told apart too, no connect time). Not the kernel counters: their attempts and
    // failures are netwatch_tcp_attempt_fails_total and node_exporter's Tcp ActiveOpens already.
    const m = s.connects?.total;
    this.#connect = null;
    if (m && m.method !== 'kernel-counters') {
      const refused = m.refused ?? 0, timedOut = m.timedOut ?? 0, k = `connect.${m.method}`;
      this.#count(`${k}.attempts`, m.attempts);
      this.#count(`${k}.successes`, m.successes);
      this.#count(`${k}.refused`, refused);
      this.#count(`${k}.timed_out`, timedOut);
      this.#count(`${k}.other`, Math.max(0, m.failures - refused - timedOut));
      this.#connect = { method: m.method, p95: m.p95ConnectMs, avg: m.avgConnectMs };
    }
  }

  render(e: Exposition): void {
    const has = (k: string) => this.#seen.has(k);
    const one = (name: string, type: 'counter', help: string, key: string) => e.single(name, type, help, has(key) ? this.#total(key) : null);
    one('netwatch_capture_packets_total', 'counter', 'Packets the capture helper decoded.', 'packets');
    e.family('netwatch_capture_dropped_packets_total', 'counter', 'Packets the capture lost: where="kernel" (its buffer was full), "interface" (the driver dropped them).',
      has('kernel') ? (['kernel', 'interface'] as const).map((w) => [{ where: w }, this.#total(w)]) : []);
    one('netwatch_capture_events_lost_total', 'counter', 'Handshake and DNS events the capture helper could not buffer.', 'lost');
    one('netwatch_capture_evicted_flows_total', 'counter', 'Flows the capture helper evicted from its full table.', 'evicted');
    one('netwatch_udp_credited_bytes_total', 'counter', 'UDP payload bytes the capture credited to a process.', 'udpCredited');
    one('netwatch_udp_unattributed_bytes_total', 'counter', 'UDP payload bytes on local sockets no poll saw (credited to no process).', 'udpUnattributed');
    const m = this.#dnsMethod;
    if (m !== null) {
      const dns = (name: string, help: string, k: string) => e.family(name, 'counter', help, has(`dns.${m}.${k}`) ? [[{ method: m }, this.#total(`dns.${m}.${k}`)]] : []);
      dns('netwatch_dns_queries_total', 'DNS queries seen (method="capture": decoded from packets; "resolved": systemd-resolved\'s monitor).', 'queries');
      dns('netwatch_dns_responses_total', 'DNS responses seen.', 'responses');
      dns('netwatch_dns_nxdomain_responses_total', 'DNS responses saying the name does not exist (NXDOMAIN; part of netwatch_dns_responses_total).', 'nxdomain');
      dns('netwatch_dns_error_responses_total', 'DNS responses with another error rcode (SERVFAIL, REFUSED, ...).', 'errors');
      dns('netwatch_dns_malformed_messages_total', 'DNS messages the capture could not decode.', 'malformed');
    }
    for (const method of ['capture', 'resolved']) {
      if (has(`dns.${method}.unanswered`)) e.family('netwatch_dns_unanswered_queries_total', 'counter', 'DNS queries with no response within 5 s.', [[{ method }, this.#total(`dns.${method}.unanswered`)]]);
    }
    if (this.#latency) {
      const h = new Histogram(DNS_BUCKETS_S);
      DNS_BUCKETS_S.forEach((_, i) => { h.counts[i] = this.#total(`latency.${i}`); });
      h.count = DNS_BUCKETS_S.reduce((n, _, i) => n + this.#total(`latency.${i}`), 0) + this.#total(`latency.${DNS_BUCKETS_S.length}`);
      h.sum = this.#total('latency.sum') / 1000;
      e.histogram('netwatch_dns_query_duration_seconds', 'DNS query to its response (same id and name) as the capture saw them, on the DNS analytics\' buckets.', h);
    }
    if (this.#connect) {
      const { method, p95, avg } = this.#connect;
      const k = `connect.${method}`;
      e.family('netwatch_tcp_connect_attempts_total', 'counter', 'Outgoing TCP connection attempts (method="handshakes": SYNs the capture saw; "socket-events": sockets born in the polls, ended in destroy events).',
        [[{ method }, this.#total(`${k}.attempts`)]]);
      e.family('netwatch_tcp_connect_successes_total', 'counter', 'TCP connection attempts that got through (SYN-ACK, or the socket seen established).', [[{ method }, this.#total(`${k}.successes`)]]);
      e.family('netwatch_tcp_connect_failures_total', 'counter', 'TCP connection attempts that failed: reason="refused" (answered by RST), "timed_out" (no answer), "other".',
        FAILURE_REASONS.map((r) => [{ method, reason: r }, this.#total(`${k}.${r}`)]));
      e.single('netwatch_tcp_connect_duration_p95_seconds', 'gauge', '95th percentile of SYN to SYN-ACK over the last 1,000 successful connects.', p95 === null ? null : p95 / 1000);
      e.single('netwatch_tcp_connect_duration_mean_seconds', 'gauge', 'Mean SYN to SYN-ACK over the last 1,000 successful connects.', avg === null ? null : avg / 1000);
    }
  }
}
