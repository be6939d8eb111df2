// Capture tier: runs the packet capture helper where it is built and permitted, reads one report per
// tick (so its event buffer never fills between slow connection polls), counts DNS messages, learns
// names from DNS answers, and keeps flow deltas and handshakes until the connection poll takes them:
// only that poll knows which socket, so which process, each flow belongs to.
import {
  failed, ok, unavailable, type CaptureSection, type ConnectSection, type DnsCounts, type PortSet,
} from '../../../shared/index.ts';
import type { FlowDelta, Handshake, CaptureReport } from '../capture.ts';
import type { CaptureFeed, TcpCounters } from '../sources.ts';
import { ConnectTracker } from './connect-metrics.ts';
import { FlowAccounts, type AppRef } from './flow-accounts.ts';
import type { FlowEnd } from './flow-credit.ts';
import { DnsAnalyticsTracker } from './dns-analytics.ts';
import type { Job, TierEnv } from './tier.ts';

/** Flows kept between two connection polls at most; beyond, their bytes count as unattributed. */
const MAX_PENDING = 50_000;
/** After the helper could not start for want of privilege, try again this often (it may be granted). */
const RETRY_DENIED_MS = 60_000;
const RETRY_FAILED_MS = 10_000;

export interface Drained { flows: FlowDelta[]; handshakes: Handshake[]; lostBytes: number }

export class CaptureTier {
  #env: TierEnv;
  #feed: CaptureFeed | null;
  #missing: string | null;
  #running = false;
  #retryAt = 0;
  #chain: Promise<void> = Promise.resolve();
  #pending = new Map<string, FlowDelta>();
  #pendingHs: Handshake[] = [];
  #lostBytes = 0;
  #stats = { packets: 0, ipBytes: 0, kernelDrops: 0, interfaceDrops: 0, eventsLost: 0, evictedFlows: 0, helperMaxRssKb: 0 };
  #dns: DnsCounts = { method: 'capture', queries: 0, responses: 0, nxdomain: 0, otherErrors: 0, malformed: 0 };
  #udp = { creditedBytes: 0, unattributedBytes: 0 };
  #tcp = { socketBytes: 0, captureBytes: 0, flows: 0 };
  #reported = false;
  readonly accounts = new FlowAccounts();
  readonly connects = new ConnectTracker();
  /** Called with every report as it is read (the intelligence tier takes its events from it). */
  readonly listeners: Array<(r: CaptureReport) => void> = [];
  /** Called with each poll's handshakes and the app owning each one's socket (the intelligence tier's evidence). */
  readonly ownerListeners: Array<(hs: readonly Handshake[], owner: (h: Handshake) => AppRef | null) => void> = [];
  /** DNS analytics (latency, domains, per app) from the same messages. */
  readonly dnsAnalytics = new DnsAnalyticsTracker();
  readonly jobs: Job[];

  constructor(env: TierEnv) {
    this.#env = env;
    const c = env.sources.capture;
    this.#feed = c && 'report' in c ? c : null;
    this.#missing = c === undefined ? 'packet capture is not available on this platform yet' : c && 'unavailable' in c ? c.unavailable : null;
    this.#status();
    this.jobs = [{
      key: 'capture', source: 'capture',
      every: (cfg) => (cfg.capture && this.#feed ? Math.max(1000, cfg.intervalMs) : null),
      run: () => this.collect(),
    }];
  }

  /** True while the helper captures: UDP is credited, hosts and services are counted. */
  get active(): boolean { return this.#running; }

  /** Why UDP is not credited, or null while it is. */
  get reason(): string | null {
    const st = this.#env.status.get('capture');
    return st.state === 'ok' ? null : st.state === 'unavailable' ? st.reason : st.message;
  }

  #status(): void {
    const st = this.#env.status;
    if (!this.#env.config().capture) st.set('capture', unavailable('packet capture turned off in settings'));
    else if (!this.#feed) st.set('capture', unavailable(this.#missing ?? 'packet capture unavailable'));
  }

  /** After a config change: stops the helper when capture was turned off, retries at once when turned on. */
  configure(): void {
    if (!this.#env.config().capture) { this.stop(); this.#status(); } else if (!this.#running) this.#retryAt = 0;
  }

  /** Reads one report (starting the helper if due); reports are read one at a time. */
  collect(): Promise<void> {
    const next = this.#chain.then(() => this.#collectOnce());
    this.#chain = next.catch(() => {});
    return next;
  }

  async #collectOnce(): Promise<void> {
    const feed = this.#feed;
    const st = this.#env.status;
    if (!feed || !this.#env.config().capture) { feed?.stop(); this.#running = false; this.#status(); return; }
    const now = this.#env.os.now();
    if (!this.#running) {
      if (now < this.#retryAt) return;
      const why = await feed.start();
      if (why) return this.#fail(why, now);
      this.#running = true;
      st.set('capture', ok());
      return; // the first report starts from here
    }
    const r = await feed.report();
    if (!r.ok) return this.#fail(r.reason, this.#env.os.now());
    this.#fold(r.report);
  }

  #fail(reason: string, now: number): void {
    this.#running = false;
    const denied = /CAP_NET_RAW|\/dev\/bpf/.test(reason);
    this.#retryAt = now + (denied ? RETRY_DENIED_MS : RETRY_FAILED_MS);
    const m = /^unavailable: (.*)$/s.exec(reason);
    this.#env.status.set('capture', m ? unavailable(m[1]!) : failed(reason));
  }

  #fold(r: CaptureReport): void {
    this.#reported = true;
    const s = r.stats, t = this.#stats;
    t.packets += s.packets; t.ipBytes += s.bytes;
    t.kernelDrops += s.kernelDrops ?? 0; t.interfaceDrops += s.interfaceDrops ?? 0;
    t.eventsLost += s.eventsLost; t.evictedFlows += r.other.evicted;
    t.helperMaxRssKb = Math.max(t.helperMaxRssKb, s.maxRssKb);
    this.#lostBytes += r.other.payload;
    for (const f of r.flows) {
      const k = `${f.proto}|${f.a}|${f.aPort}|${f.b}|${f.bPort}`;
      const p = this.#pending.get(k);
      if (p) {
        p.ab.packets += f.ab.packets; p.ab.bytes += f.ab.bytes; p.ab.payload += f.ab.payload;
        p.ba.packets += f.ba.packets; p.ba.bytes += f.ba.bytes; p.ba.payload += f.ba.payload;
      } else if (this.#pending.size < MAX_PENDING) this.#pending.set(k, { ...f, ab: { ...f.ab }, ba: { ...f.ba } }); // a copy: merging must not rewrite the report
      else this.#lostBytes += f.ab.payload + f.ba.payload;
    }
    if (this.#pendingHs.length < MAX_PENDING) this.#pendingHs.push(...r.handshakes.slice(0, MAX_PENDING - this.#pendingHs.length));
    const d = this.#dns;
    for (const m of r.dns) {
      if (m.malformed) d.malformed++;
      if (!m.response) { d.queries++; continue; }
      d.responses++;
      if (m.rcode === 3) d.nxdomain++;
      else if (m.rcode !== 0) d.otherErrors++;
    }
    this.accounts.names.add(r.dns);
    for (const l of this.listeners) l(r);
    this.dnsAnalytics.observe(r.dns, this.#env.os.now() * 1000);
  }

  /** A report up to now, then every flow and handshake since the last drain (the connection poll's). */
  async drain(): Promise<Drained> {
    if (this.#running) await this.collect();
    const out = { flows: [...this.#pending.values()], handshakes: this.#pendingHs, lostBytes: this.#lostBytes };
    this.#pending = new Map();
    this.#pendingHs = [];
    this.#lostBytes = 0;
    return out;
  }

  /** Folds one poll's attributed flow ends in (the connections tier calls it). */
  account(ends: readonly FlowEnd[], lostBytes: number, tcp: { socketBytes: number; captureBytes: number; flows: number },
    sets: readonly PortSet[], app: (pid: number) => AppRef | null, now: number, dt: number): void {
    for (const e of ends) {
      if (e.proto !== 'udp') continue;
      if (e.pid !== null) this.#udp.creditedBytes += e.rx + e.tx;
      else this.#udp.unattributedBytes += e.rx + e.tx;
    }
    this.#udp.unattributedBytes += lostBytes;
    this.#tcp.socketBytes += tcp.socketBytes; this.#tcp.captureBytes += tcp.captureBytes; this.#tcp.flows += tcp.flows;
    this.accounts.add(ends, sets, app, now, dt);
  }

  /** Handshakes drained by a connection poll, with the app of each one's socket where listed. */
  attribute(hs: readonly Handshake[], owner: (h: Handshake) => AppRef | null): void {
    const known = new Map<Handshake, AppRef | null>();
    const once = (h: Handshake) => { if (!known.has(h)) known.set(h, owner(h)); return known.get(h)!; };
    this.connects.add(hs, once);
    for (const l of this.ownerListeners) l(hs, once);
  }

  /** Kernel TCP counters, the connect metrics' fallback while no handshake is seen. */
  kernelCounters(c: TcpCounters): void { this.connects.kernel(c); }

  section(): CaptureSection | null {
    if (!this.#reported) return null;
    return {
      interface: 'any', ...this.#stats, udp: { ...this.#udp }, tcpCrossCheck: { ...this.#tcp },
      hosts: this.accounts.hosts(), otherHosts: this.accounts.otherHosts(), appHosts: this.accounts.appHosts(),
      services: this.accounts.services(), otherServices: this.accounts.otherServices(), dns: { ...this.#dns },
    };
  }

  connectSection(): ConnectSection | undefined { return this.connects.snapshot() ?? undefined; }

  stop(): void { this.#feed?.stop(); this.#running = false; }
}
