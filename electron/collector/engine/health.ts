// Gateway and DNS probes: RTT and loss with 60-sample histories; a failed probe is a gap (null).
import { HISTORY_LENGTH, failed, ok, unavailable, type Probe, type SourceStatus } from '../../../shared/index.ts';
import { Ring } from './counters.ts';
import type { OsIO } from '../os.ts';
import type { PingResult, Result } from '../sources.ts';

export class ProbeTrack {
  readonly target: string;
  #hist = new Ring<number | null>(HISTORY_LENGTH);
  #last: number | null = null;
  #lastTs: number | null = null;
  #status: SourceStatus = unavailable('not probed yet');
  #method: Probe['method'] = null;
  #note: string | null = null;

  constructor(target: string) { this.target = target; }

  /** A probe that got an answer after `rttMs`, measured by `method` (`note`: why not the usual one). */
  success(rttMs: number, now: number, method: NonNullable<Probe['method']>, note: string | null = null): void {
    this.#method = method;
    this.#note = note;
    this.#record(rttMs, now, ok());
  }
  /** A probe sent that got no answer: loss, and a gap in the chart. */
  lost(now: number, why: string): void { this.#record(null, now, failed(why)); }

  #record(rtt: number | null, now: number, status: SourceStatus): void {
    this.#hist.push(rtt);
    this.#last = rtt;
    this.#lastTs = now;
    this.#status = status;
  }

  snapshot(): Probe {
    const h = this.#hist.toArray();
    const lost = h.filter((v) => v === null).length;
    return {
      target: this.target, rttMs: this.#last, method: this.#method, methodNote: this.#note, history: h, lastProbeTs: this.#lastTs, status: this.#status,
      lossPct: h.length ? (lost / h.length) * 100 : null,
    };
  }
}

/** How a probe's figure was measured. */
export type ProbeMethod = Probe['method'];
export type GatewayProbeResult =
  | { kind: 'reply'; rttMs: number; method: NonNullable<ProbeMethod>; note: string | null }
  | { kind: 'lost'; reason: string };

export interface GatewayProbeDeps {
  ping(ip: string): Promise<Result<PingResult>>;
  tcpConnect: OsIO['tcpConnect'];
  dnsQuery: OsIO['dnsQuery'];
}

/** Ports a home router or a gateway host commonly answers on: its DNS forwarder, its web UI. */
export const GATEWAY_TCP_PORTS = [53, 80, 443] as const;

/**
 * One gateway probe: ICMP echo (ping) first; where ping is missing or no echo reply comes (ICMP
 * refused or filtered, as on many corporate networks), the round trip of a TCP handshake to a common
 * port (a SYN-ACK or a reset both mean the gateway is there), then a DNS query to the gateway itself.
 * The method that produced the figure is said, with why ICMP did not.
 */
export async function probeGateway(d: GatewayProbeDeps, ip: string, timeoutMs = 1000): Promise<GatewayProbeResult> {
  const p = await d.ping(ip);
  if (p.ok && p.value.received > 0 && p.value.rttMs !== null) return { kind: 'reply', rttMs: p.value.rttMs, method: 'icmp', note: null };
  const why = p.ok ? 'no ICMP echo reply' : `ping unavailable (${p.status.state === 'unavailable' ? p.status.reason : p.status.state === 'error' ? p.status.message : 'unknown'})`;
  const tcp = await firstAnswer(GATEWAY_TCP_PORTS.map((port) => d.tcpConnect(ip, port, timeoutMs).then((r) => (r.ok ? { ...r, port } : null))));
  if (tcp) return { kind: 'reply', rttMs: tcp.rttMs, method: 'tcp-connect', note: `TCP handshake to port ${tcp.port} (${tcp.outcome}): ${why}` };
  const q = await d.dnsQuery(ip, timeoutMs);
  if (q.ok) return { kind: 'reply', rttMs: q.rttMs, method: 'dns-query', note: `DNS query to the gateway: ${why}, no TCP answer on ${GATEWAY_TCP_PORTS.join('/')}` };
  // Nothing answered. If ping could not even be sent, TCP and DNS silence is still a lost probe.
  return { kind: 'lost', reason: `no reply: ${why}, no TCP answer on ports ${GATEWAY_TCP_PORTS.join('/')}, DNS ${q.reason}` };
}

/** The first promise to resolve non-null (null when all resolve null); none of them rejects. */
function firstAnswer<T>(ps: Array<Promise<T | null>>): Promise<T | null> {
  return new Promise((resolve) => {
    let left = ps.length;
    for (const p of ps) void p.then((v) => { if (v !== null) resolve(v); else if (--left === 0) resolve(null); });
  });
}
