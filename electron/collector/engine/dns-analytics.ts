// DNS analytics from the capture's DNS messages (capture.ts): queries, responses, NXDOMAIN, response
// latency by matching each response to its query, the most queried registrable domains, and the same
// per app where the querying socket's owner is known. Pure: messages and an owner lookup in, figures out.
// Every table is bounded (caps below), so a flood of random names or lost responses cannot grow memory.
import { getDomain } from 'tldts';
import { DNS_LATENCY_BUCKETS_MS, DNS_TOP_DOMAINS, type DnsAnalytics } from '../../../shared/index.ts';
import type { DnsMessage } from '../capture.ts';
import { normaliseIp } from '../sockets.ts';
import type { AppRef } from './flow-accounts.ts';

/** A query not answered within this long is unanswered (issue 14; dig's default timeout is 5 s too). */
export const TRANSACTION_MS = 5000;
/** Queries waiting for their response at most; when full, the oldest quarter is given up as unanswered. */
export const MAX_PENDING = 10_000;
/** Distinct domains counted overall / per app; when full, the less queried half is dropped (its counts lost). */
export const MAX_DOMAINS = 4096;
export const MAX_APP_DOMAINS = 256;
/** Apps with figures of their own (least recently querying dropped first). */
export const MAX_APPS = 128;
/** Querying sockets whose owner is not known yet, kept for the next connection poll (when full, the
 * oldest quarter is dropped: counted in the totals only); polls they wait at most. */
export const MAX_UNOWNED = 4096;
const UNOWNED_POLLS = 2;

type Figures = Omit<DnsAnalytics, 'method' | 'apps' | 'topDomains'>;
interface Acc { f: Figures; domains: Map<string, { queries: number; nxdomain: number }>; cap: number }

/**
 * Drops the oldest quarter of a full map at once: deleting one entry at a time from the front leaves
 * V8's ordered hash with holes that every later `keys().next()` walks again (a flood of 100k queries:
 * 22 µs a query that way, 4 µs with this).
 */
function makeRoom<K, V>(m: Map<K, V>, cap: number, drop: (k: K, v: V) => void = () => {}): void {
  if (m.size < cap) return;
  let n = cap >> 2;
  for (const [k, v] of m) { if (n-- <= 0) break; m.delete(k); drop(k, v); }
}

const figures = (): Figures => ({ queries: 0, responses: 0, nxdomain: 0, latencyBuckets: new Array(DNS_LATENCY_BUCKETS_MS.length + 1).fill(0), latencySumMs: 0, unanswered: 0 });
const acc = (cap: number): Acc => ({ f: figures(), domains: new Map(), cap });

/** The bucket of a latency: the first bound it is below, else the last (≥ 500 ms). */
export function bucketOf(ms: number): number {
  const i = DNS_LATENCY_BUCKETS_MS.findIndex((b) => ms < b);
  return i < 0 ? DNS_LATENCY_BUCKETS_MS.length : i;
}

/** The registrable domain of a query name (Public Suffix List); the name itself where it has none (a TLD, `localhost`). */
export function registrable(qname: string): string {
  const name = qname.toLowerCase().replace(/\.$/, '');
  return getDomain(name, { allowPrivateDomains: true }) ?? (name || '.');
}

/** Adds `queries` and `nxdomain` to a domain's counts (a new entry only for queries). */
function countDomain(a: Acc, domain: string, queries: number, nxdomain: number): void {
  let d = a.domains.get(domain);
  if (!d) {
    if (queries === 0) return; // an NXDOMAIN for a domain pruned meanwhile: not worth a new entry
    if (a.domains.size >= a.cap) {
      // Prune the less queried half at once (amortised O(log n) a query, not O(n) per new domain).
      const keep = [...a.domains].sort((x, y) => y[1].queries - x[1].queries).slice(0, a.cap >> 1);
      a.domains = new Map(keep);
    }
    d = { queries: 0, nxdomain: 0 };
    a.domains.set(domain, d);
  }
  d.queries += queries;
  d.nxdomain += nxdomain;
}

interface Pending { atUs: number; domain: string; owner: string }

export class DnsAnalyticsTracker {
  readonly method: DnsAnalytics['method'];
  #all = acc(MAX_DOMAINS);
  #apps = new Map<string, { name: string; a: Acc }>();
  /** Open transactions by id|name|client|client port|server|server port, oldest first. */
  #pending = new Map<string, Pending>();
  /** Figures of querying sockets (proto|ip|port) whose owner the next connection poll may tell, oldest first. */
  #unowned = new Map<string, { a: Acc; polls: number }>();
  /** Owners already known, by socket: later queries of that socket go straight to its app. */
  #owners = new Map<string, AppRef>();

  /** `resolved`: lookups from systemd-resolved's monitor (no ids, addresses or times: no latency, no apps). */
  constructor(method: DnsAnalytics['method'] = 'capture') { this.method = method; }

  /** Folds messages in, in capture order; `nowUs` expires transactions older than TRANSACTION_MS. */
  observe(messages: readonly DnsMessage[], nowUs: number): void {
    for (const m of messages) {
      const name = (m.qname ?? '').toLowerCase();
      const domain = m.qname === null ? null : registrable(m.qname);
      if (!m.response) {
        const owner = `${m.proto}|${normaliseIp(m.src)}|${m.srcPort}`;
        this.#credit(owner, (a) => { a.f.queries++; if (domain) countDomain(a, domain, 1, 0); });
        const key = `${m.id}|${name}|${normaliseIp(m.src)}|${m.srcPort}|${normaliseIp(m.dst)}|${m.dstPort}`;
        // A retransmission with the same id and name keeps the first send's time (tshark's dns.time does too).
        if (this.method === 'capture' && m.qname !== null && !this.#pending.has(key)) {
          makeRoom(this.#pending, MAX_PENDING, (_k, p) => this.#unanswered(p));
          this.#pending.set(key, { atUs: m.atUs, domain: domain!, owner });
        }
        continue;
      }
      const key = `${m.id}|${name}|${normaliseIp(m.dst)}|${m.dstPort}|${normaliseIp(m.src)}|${m.srcPort}`;
      const q = this.#pending.get(key);
      const owner = q?.owner ?? `${m.proto}|${normaliseIp(m.dst)}|${m.dstPort}`;
      const nx = m.rcode === 3;
      if (q) this.#pending.delete(key);
      const ms = q ? Math.max(0, (m.atUs - q.atUs) / 1000) : null;
      this.#credit(owner, (a) => {
        a.f.responses++;
        if (nx) a.f.nxdomain++;
        if (ms !== null) { a.f.latencyBuckets[bucketOf(ms)]!++; a.f.latencySumMs += ms; }
        if (nx && domain) countDomain(a, domain, 0, 1);
      });
    }
    this.#expire(nowUs);
  }

  /**
   * After a connection poll: who owns each querying socket (`owner` by protocol, local address and port;
   * null when the poll did not list it). Figures waiting for an owner go to its app; those whose socket
   * stayed unknown for UNOWNED_POLLS polls are counted in the totals only.
   */
  attribute(owner: (proto: 'udp' | 'tcp', ip: string, port: number) => AppRef | null): void {
    for (const [k, u] of this.#unowned) {
      const [proto, ip, port] = k.split('|') as ['udp' | 'tcp', string, string];
      const ref = owner(proto, ip, Number(port));
      if (ref) { this.#remember(k, ref); this.#merge(this.#app(ref).a, u.a); this.#unowned.delete(k); } else if (++u.polls >= UNOWNED_POLLS) this.#unowned.delete(k);
    }
    // A socket is reused for a while, not for ever: owners are relearned at every poll.
    for (const k of [...this.#owners.keys()]) {
      const [proto, ip, port] = k.split('|') as ['udp' | 'tcp', string, string];
      const ref = owner(proto, ip, Number(port));
      if (ref) this.#owners.set(k, ref); else this.#owners.delete(k);
    }
  }

  /** The figures since the start; apps with the most queries first. */
  snapshot(): DnsAnalytics {
    const out = (a: Acc) => ({
      ...a.f, latencyBuckets: [...a.f.latencyBuckets],
      topDomains: [...a.domains].map(([domain, d]) => ({ domain, ...d })).sort((x, y) => y.queries - x.queries || x.domain.localeCompare(y.domain)).slice(0, DNS_TOP_DOMAINS),
    });
    const apps = [...this.#apps].map(([appId, { name, a }]) => ({ appId, app: name, ...out(a) })).sort((x, y) => y.queries - x.queries);
    return { method: this.method, ...out(this.#all), apps };
  }

  /** Open transactions and sockets waiting for an owner, for the flood tests. */
  get sizes(): { pending: number; unowned: number; domains: number; apps: number } {
    return { pending: this.#pending.size, unowned: this.#unowned.size, domains: this.#all.domains.size, apps: this.#apps.size };
  }

  #credit(owner: string, add: (a: Acc) => void): void {
    add(this.#all);
    const ref = this.#owners.get(owner);
    if (ref) { add(this.#app(ref).a); return; }
    let u = this.#unowned.get(owner);
    if (!u) {
      makeRoom(this.#unowned, MAX_UNOWNED);
      u = { a: acc(MAX_APP_DOMAINS), polls: 0 };
      this.#unowned.set(owner, u);
    }
    add(u.a);
  }

  #remember(socket: string, ref: AppRef): void {
    makeRoom(this.#owners, MAX_UNOWNED);
    this.#owners.set(socket, ref);
  }

  #app(ref: AppRef): { name: string; a: Acc } {
    let e = this.#apps.get(ref.id);
    if (e) this.#apps.delete(ref.id); // re-inserted below: the map's order is recency
    else {
      makeRoom(this.#apps, MAX_APPS);
      e = { name: ref.name, a: acc(MAX_APP_DOMAINS) };
    }
    this.#apps.set(ref.id, e);
    return e;
  }

  #merge(into: Acc, from: Acc): void {
    const f = into.f, g = from.f;
    f.queries += g.queries; f.responses += g.responses; f.nxdomain += g.nxdomain; f.unanswered += g.unanswered; f.latencySumMs += g.latencySumMs;
    g.latencyBuckets.forEach((n, i) => { f.latencyBuckets[i]! += n; });
    for (const [domain, d] of from.domains) countDomain(into, domain, d.queries, d.nxdomain);
  }

  #expire(nowUs: number): void {
    for (const [k, p] of this.#pending) {
      if (nowUs - p.atUs < TRANSACTION_MS * 1000) break; // oldest first: the rest are younger
      this.#pending.delete(k);
      this.#unanswered(p);
    }
  }

  #unanswered(p: Pending): void { this.#credit(p.owner, (a) => { a.f.unanswered++; }); }
}
