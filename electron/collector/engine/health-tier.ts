// Health tier: which gateway and DNS server are in use (re-detected on route changes and every minute)
// and their probes (RTT, loss), each with its own cadence.
import { unavailable, type Health } from '../../../shared/index.ts';
import { ProbeTrack, probeGateway } from './health.ts';
import type { Job, TierEnv } from './tier.ts';

/** Gateway and DNS are re-detected at least this often even when the routes do not change. */
const REDETECT_MS = 60_000;
/** The gateway's hardware address is read this often (a file read on Linux): a changed one is seen within it. */
const GATEWAY_MAC_MS = 10_000;

/** What the network-change detector compares: every DNS server configured, the gateway and its MAC address. */
export interface NetworkIdentity { dnsServers: string[] | null; gateway: { ip: string; mac: string | null } | null }

export class HealthTier {
  #env: TierEnv;
  #health: Health = { gateway: null, dns: null, gatewayProbe: null, dnsProbe: null };
  #gwProbe: ProbeTrack | null = null;
  #dnsProbe: ProbeTrack | null = null;
  #routes = '';
  #dnsServers: string[] | null = null;
  #gatewayMac: { ip: string; mac: string | null } | null = null;
  readonly jobs: Job[];

  constructor(env: TierEnv) {
    this.#env = env;
    this.jobs = [
      { key: 'detect', source: 'gateway', every: () => REDETECT_MS, run: () => this.detect() },
      { key: 'health', source: 'gateway', every: (c) => (c.probes ? c.healthMs : null), run: () => this.probe() },
      { key: 'gateway-mac', source: 'gateway', every: () => (env.sources.gatewayMac ? GATEWAY_MAC_MS : null), run: () => this.readGatewayMac() },
    ];
  }

  /** True when the routing table changed since the last call (the engine then re-detects at once). */
  routesChanged(): boolean {
    const routes = this.#env.sources.routeFingerprint();
    if (routes === this.#routes) return false;
    this.#routes = routes;
    return true;
  }

  async detect(): Promise<void> {
    const st = this.#env.status;
    const gw = st.take('gateway', await this.#env.sources.gateway());
    const dns = st.take('dns', await this.#env.sources.dns());
    this.#health.gateway = gw ?? null;
    this.#health.dns = dns ? { server: dns.server, source: dns.source, stub: dns.stub } : null;
    // Unreadable is not "none": the last servers stand until the source answers again.
    if (dns !== undefined) this.#dnsServers = dns ? [...dns.servers] : [];
    if (this.#gatewayMac?.ip !== gw?.ip) await this.readGatewayMac();
    // A new target starts a new history: old RTTs were to another host.
    if (this.#gwProbe?.target !== gw?.ip) this.#gwProbe = gw ? new ProbeTrack(gw.ip) : null;
    if (this.#dnsProbe?.target !== dns?.server) this.#dnsProbe = dns ? new ProbeTrack(dns.server) : null;
  }

  /** Reads the current gateway's hardware address; a failed read keeps the last one. */
  async readGatewayMac(): Promise<void> {
    const gw = this.#health.gateway;
    const src = this.#env.sources;
    if (!gw || !src.gatewayMac) { this.#gatewayMac = gw ? { ip: gw.ip, mac: null } : null; return; }
    const r = await src.gatewayMac(gw.ip);
    if (r.ok) this.#gatewayMac = { ip: gw.ip, mac: r.value };
    else if (this.#gatewayMac?.ip !== gw.ip) this.#gatewayMac = { ip: gw.ip, mac: null };
  }

  /** The DNS servers and the gateway with its MAC, as last read (null before the first detection). */
  network(): NetworkIdentity {
    return { dnsServers: this.#dnsServers, gateway: this.#gatewayMac && this.#gatewayMac.ip === this.#health.gateway?.ip ? { ...this.#gatewayMac } : this.#health.gateway ? { ip: this.#health.gateway.ip, mac: null } : null };
  }

  async probe(): Promise<void> {
    const gw = this.#gwProbe, dns = this.#dnsProbe, os = this.#env.os;
    await Promise.all([
      gw && probeGateway({ ping: (ip) => this.#env.sources.ping(ip), tcpConnect: (h, p, t) => os.tcpConnect(h, p, t), dnsQuery: (h, t) => os.dnsQuery(h, t) }, gw.target).then((r) => {
        const now = os.now();
        if (r.kind === 'reply') gw.success(r.rttMs, now, r.method, r.note);
        else gw.lost(now, r.reason);
      }),
      dns && os.dnsQuery(dns.target, 2000).then((r) => {
        const now = os.now();
        if (r.ok) dns.success(r.rttMs, now, 'dns-query');
        else dns.lost(now, r.reason);
      }),
    ]);
  }

  snapshot(): Health {
    const probesOff = unavailable('probes turned off in settings');
    const probes = this.#env.config().probes;
    const probe = (t: ProbeTrack | null) => {
      if (!t) return null;
      const s = t.snapshot();
      return probes ? s : { ...s, status: probesOff };
    };
    return { ...this.#health, gatewayProbe: probe(this.#gwProbe), dnsProbe: probe(this.#dnsProbe) };
  }
}
