// Intelligence tier: fed events (events.ts) by the capture tier's reports — without the capture, by the
// socket polls' and destroy events' attempts — by a replayed recording (replay.ts) or any later source, it runs the port-scan, beaconing and DNS-tunnel detectors and holds their triggers until
// the engine applies them to its alert store (alerts.ts: active 60 s after the last trigger, history of
// 100). Config is read at every event, so switches, thresholds and the allow-list apply live. A tick
// every 30 s prunes the detectors' windows and expires DNS transactions unanswered after 5 s.
import type { EngineConfig, Interface } from '../../../../shared/index.ts';
import type { Trigger } from '../alerts.ts';
import type { Job, TierEnv } from '../tier.ts';
import { Allow, normName } from './allow.ts';
import { BeaconDetector } from './beaconing.ts';
import { DnsTunnelDetector } from './dns-tunnel.ts';
import type { ConnectEvent, DnsEvent, EventApp, IntelEvent } from './events.ts';
import type { Handshake } from '../../capture.ts';
import { PortScanDetector } from './portscan.ts';

export const INTEL_TICK_MS = 30_000;
/** Addresses named by DNS answers (for the allow-list's domains on connections), the least recent first out. */
const MAX_NAMES = 4096;
/** Triggers held between two applies (one per alert key, the latest wins). */
const MAX_PENDING = 1024;

export class IntelTier {
  #config: () => EngineConfig;
  #interfaces: () => readonly Interface[];
  #localOf: readonly Interface[] | null = null;
  #local = new Set<string>();
  #allow = new Allow();
  #names = new Map<string, string>();
  #pending = new Map<string, Trigger>();
  readonly portScan = new PortScanDetector();
  readonly beacons = new BeaconDetector();
  readonly dnsTunnel = new DnsTunnelDetector();
  readonly jobs: Job[];

  /** `interfaces`: this machine's interfaces, whose addresses say what is inbound and what outbound. */
  constructor(env: Pick<TierEnv, 'config' | 'os'>, interfaces: () => readonly Interface[]) {
    this.#config = env.config;
    this.#interfaces = interfaces;
    // Its events are the capture's (no source of its own): a failure there shows on the capture's status.
    this.jobs = [{
      key: 'intel', source: 'capture',
      every: () => INTEL_TICK_MS,
      run: async () => this.tick(env.os.now()),
    }];
  }

  /** True for an address of this machine (loopback included). */
  local = (addr: string): boolean => {
    const list = this.#interfaces();
    if (list !== this.#localOf) {
      this.#localOf = list;
      this.#local = new Set(list.flatMap((i) => [...i.ipv4, ...i.ipv6]).map((a) => a.replace(/\/\d+$/, '').toLowerCase()));
    }
    return this.#local.has(addr.toLowerCase()) || addr.startsWith('127.') || addr === '::1';
  };

  /** Takes events in, oldest first. */
  ingest(events: readonly IntelEvent[]): void {
    const cfg = this.#config();
    this.#allow.user = cfg.intel.allow;
    for (const e of events) {
      if (e.kind === 'connect') this.#connect(e, cfg);
      else if (e.kind === 'dns') this.#dns(e, cfg);
      // Rates: the bandwidth detector (alerts.ts) reads the interface tier's; kept in the event
      // interface so a recording carries them and a source without interfaces can feed one later.
    }
  }

  #connect(e: ConnectEvent, cfg: EngineConfig): void {
    if (this.#allow.connect(e, this.#names.get(e.dst) ?? null)) return;
    const d = cfg.detectors;
    if (d.portscan) this.#hold(this.portScan.add(e, cfg.intel.portScan, this.local));
    // Beacons call out from this machine: periodic connections towards it are someone else's polling
    // (health checks, scrapers). With no address of ours on either side (a router), both count.
    if (d.beaconing && (this.local(e.src) || !this.local(e.dst))) this.#hold(this.beacons.add(e, cfg.intel.beaconing));
  }

  #dns(e: DnsEvent, cfg: EngineConfig): void {
    const m = e.msg;
    if (m.response && m.qname) for (const a of m.answers) this.#learn(a, m.qname);
    if (!cfg.detectors['dns-tunnel'] || m.opcode !== 0) return;
    // mDNS and LLMNR are local discovery, not a resolver's traffic (and their names are long by design).
    if ([m.srcPort, m.dstPort].some((p) => p === 5353 || p === 5355)) return;
    if (this.#allow.host(m.src) || this.#allow.host(m.dst) || this.#allow.app(e.app) || this.#allow.domain(m.qname)) return;
    for (const t of this.dnsTunnel.add(m, e.ts, cfg.intel.dnsTunnel, e.app)) this.#hold(t);
  }

  /**
   * The apps of connection attempts, once a connection poll has matched their sockets (after the
   * report that carried them: the next trigger of their beacon or scan names the app). Only attempts
   * from this machine: for an inbound one the socket is the listener, not the one who connected.
   */
  attribute(hs: readonly Handshake[], owner: (h: Handshake) => EventApp | null): void {
    for (const h of hs) {
      if (!this.local(h.src)) continue;
      const app = owner(h);
      if (!app) continue;
      this.beacons.setApp(h.src, h.dst, h.dstPort, app);
      this.portScan.setApp(h.src, h.dst, app);
    }
  }

  #learn(addr: string, name: string): void {
    this.#names.delete(addr);
    this.#names.set(addr, normName(name));
    if (this.#names.size > MAX_NAMES) this.#names.delete(this.#names.keys().next().value!);
  }

  #hold(t: Trigger | null): void {
    if (!t) return;
    this.#pending.delete(t.key);
    this.#pending.set(t.key, t);
    if (this.#pending.size > MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value!);
  }

  /**
   * The triggers since the last call, for the alert store. A detector switched off since they were
   * raised drops them here too.
   */
  take(): Trigger[] {
    const on = this.#config().detectors as Record<string, boolean>;
    const out = [...this.#pending.values()].filter((t) => on[t.category] !== false);
    this.#pending.clear();
    return out;
  }

  /** Prunes windows (ms clock); the engine's job runs it every INTEL_TICK_MS. */
  tick(now: number): void {
    const cfg = this.#config();
    this.portScan.prune(now, cfg.intel.portScan);
    this.beacons.prune(now);
    this.dnsTunnel.prune(now);
  }

  /** Every structure's size: the caps' test and the bench. */
  sizes() {
    return { ...this.portScan.sizes(), ...this.beacons.sizes(), ...this.dnsTunnel.sizes(), names: this.#names.size, pending: this.#pending.size };
  }
}
