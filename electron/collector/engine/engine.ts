// The engine: one scheduler whose tiers run at their own cadence, and the snapshot they fill.
import {
  HostMessageSchema, countedInterfaces, issuesText, mergeConfig, queryConnections, queryTable, SNAPSHOT_VERSION, SOURCE_NAMES, TCP_STATES, assertNever, failed, ok, unavailable,
  type EngineConfig, type EngineMessage, type Interface, type Snapshot, type SourceName, type SourceStatus,
  type System, type Disk, type TcpMetrics, type Wifi, type Health, type ConnectionPage, type ConnectionQuery,
} from '../../../shared/index.ts';
import type { OsIO } from '../os.ts';
import type { DestroyFeed, Result, Sources, SystemReading, TcpCounters } from '../sources.ts';
import type { SocketSample } from '../sockets.ts';
import { InterfaceTracker } from './interfaces.ts';
import { SocketTracker, type PollOutput, type Totals } from './attribution.ts';
import { AlertStore, BandwidthDetector } from './alerts.ts';
import { ProbeTrack, probeGateway } from './health.ts';
import { busyPct, counterDelta, perSec } from './counters.ts';

type Tier = 'connections' | 'health' | 'system' | 'disks' | 'wifi' | 'detect';

export interface EngineDeps {
  sources: Sources; os: OsIO; config: EngineConfig; emit: (m: EngineMessage) => void;
  /**
   * Put the whole socket list in snapshots (the CLI, `netwatch record`). Views leave it out and ask for
   * the page they show with `query-connections`: at 16k sockets the list costs ~25 MB of RSS to send.
   */
  listInSnapshots?: boolean;
}

/** Gateway and DNS are re-detected at least this often even when the routes do not change. */
const REDETECT_MS = 60_000;

export class Engine {
  #s: Sources;
  #os: OsIO;
  #cfg: EngineConfig;
  #emit: (m: EngineMessage) => void;
  #visible = false;
  #listInSnapshots: boolean;
  #paused = false;
  #timer: NodeJS.Timeout | null = null;
  #seq = 0;
  #last = new Map<Tier, number>();
  #busy = new Set<Tier>();
  #status = Object.fromEntries(SOURCE_NAMES.map((n) => [n, unavailable('not read yet')])) as Record<SourceName, SourceStatus>;
  #ifaces = new InterfaceTracker();
  #interfaces: Interface[] = [];
  #sockets = new SocketTracker();
  #poll: PollOutput | null = null;
  #pollTs: number | null = null;
  /** connectionsTs of the last emitted snapshot that carried the socket list. */
  #sentPollTs: number | null = null;
  #destroyed: SocketSample[] = [];
  #feed: DestroyFeed | null = null;
  #tcpPrev: { c: TcpCounters; ts: number } | null = null;
  #running = false;
  #tcpMetrics: TcpMetrics | null = null;
  #cpuPrev: SystemReading['cpu'] | null = null;
  #system: System | null = null;
  #disks: Disk[] = [];
  #diskPrev = new Map<string, { r: number | null; w: number | null; ts: number }>();
  #wifi: Wifi[] = [];
  #health: Health = { gateway: null, dns: null, gatewayProbe: null, dnsProbe: null };
  #gwProbe: ProbeTrack | null = null;
  #dnsProbe: ProbeTrack | null = null;
  #routes = '';
  #alerts = new AlertStore();
  #bandwidth: BandwidthDetector;

  constructor(d: EngineDeps) {
    this.#s = d.sources;
    this.#os = d.os;
    this.#cfg = d.config;
    this.#emit = d.emit;
    this.#listInSnapshots = d.listInSnapshots ?? false;
    this.#bandwidth = new BandwidthDetector(d.config.bandwidthThresholdBps);
  }

  get config(): EngineConfig { return this.#cfg; }

  /** Starts ticking at once; rates appear from the second tick (they need two samples). */
  start(): void {
    this.#emit({ type: 'status', state: 'starting', pid: process.pid });
    this.followDestroyEvents();
    this.#running = true;
    const loop = async () => {
      if (!this.#paused) await this.tick();
      // stop() may have come during the tick (from a snapshot's own emit): then no next one.
      if (this.#running) this.#timer = setTimeout(loop, this.#cfg.intervalMs);
    };
    void loop();
    this.#emit({ type: 'status', state: 'running', pid: process.pid });
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#feed?.stop();
    this.#feed = null;
    this.#s.stop();
  }

  setVisible(v: boolean): void {
    // Becoming visible asks for fresh connections at once rather than at the hidden cadence.
    if (v && !this.#visible) { this.#last.delete('connections'); this.#sentPollTs = null; }
    this.#visible = v;
  }

  /** One page of the latest poll's sockets (for views with their own port, see views.ts). */
  queryConnections(q: ConnectionQuery): ConnectionPage {
    return this.#poll ? queryTable(this.#poll.table, q, this.#pollTs) : queryConnections([], q, this.#pollTs);
  }

  /** Applies a message from the host after validating it; never throws. */
  handle(raw: unknown): void {
    const parsed = HostMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.#emit({ type: 'rejected', reason: issuesText(parsed.error) });
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'set-config': {
        const before = this.#cfg.destroyEvents;
        this.#cfg = mergeConfig(this.#cfg, msg.config);
        this.#bandwidth.thresholdBps = this.#cfg.bandwidthThresholdBps;
        if (before !== this.#cfg.destroyEvents) { this.#feed?.stop(); this.#feed = null; this.followDestroyEvents(); }
        break;
      }
      case 'set-visibility': this.setVisible(msg.visible); break;
      case 'query-connections':
        this.#emit({ type: 'connections', requestId: msg.requestId, page: this.queryConnections(msg.query) });
        break;
      case 'attach-view': break; // the host entry (main.ts) takes the port; nothing for the engine itself
      case 'pause': this.#paused = true; this.#emit({ type: 'status', state: 'paused', pid: process.pid }); break;
      case 'resume': this.#paused = false; this.#emit({ type: 'status', state: 'running', pid: process.pid }); break;
      case 'stop': this.stop(); this.#emit({ type: 'status', state: 'stopping', pid: process.pid }); break;
      default: assertNever(msg);
    }
  }

  /** Starts following socket-destroy events (start() does this; one-shot users call it themselves). */
  followDestroyEvents(): void {
    if (this.#feed) return;
    if (!this.#cfg.destroyEvents) {
      this.#status.destroyEvents = unavailable('socket-destroy events turned off; short-lived flows land in unattributed');
      return;
    }
    this.#status.destroyEvents = unavailable('starting');
    this.#feed = this.#s.destroyEvents((sock) => {
      // Bounded: a flood of closes between two polls must not grow memory without limit.
      if (this.#destroyed.length < 200_000) this.#destroyed.push(sock);
    }, (st) => { this.#status.destroyEvents = st; });
  }

  /** One interface tick, with every other tier that is due started alongside; emits a snapshot. */
  async tick(): Promise<void> {
    const now = this.#os.now();
    await this.#guard('interfaces', () => this.#readInterfaces(now));
    const routes = this.#s.routeFingerprint();
    if (routes !== this.#routes) { this.#routes = routes; this.#last.delete('detect'); }
    const connEvery = this.#visible ? this.#cfg.connectionsVisibleMs : this.#cfg.connectionsHiddenMs;
    this.#due('connections', now, connEvery, () => this.#readConnections());
    this.#due('detect', now, REDETECT_MS, () => this.#detect());
    if (this.#cfg.probes) this.#due('health', now, this.#cfg.healthMs, () => this.#probe());
    this.#due('system', now, this.#cfg.systemMs, () => this.#readSystem());
    this.#due('wifi', now, this.#cfg.systemMs, () => this.#readWifi());
    this.#due('disks', now, this.#cfg.disksMs, () => this.#readDisks());
    const fresh = this.#pollTs !== this.#sentPollTs;
    if (fresh && this.#listInSnapshots) this.#sentPollTs = this.#pollTs;
    this.#emit({ type: 'snapshot', snapshot: this.snapshot(fresh) });
  }

  /** Runs every tier once and waits for all of them (the CLI's `snapshot`, tests). */
  async pollAll(): Promise<void> {
    const now = this.#os.now();
    await this.#guard('interfaces', () => this.#readInterfaces(now));
    this.#routes = this.#s.routeFingerprint();
    await Promise.all([
      this.#guard('connections', () => this.#readConnections()),
      this.#guard('gateway', () => this.#detect().then(() => (this.#cfg.probes ? this.#probe() : undefined))),
      this.#guard('system', () => this.#readSystem()),
      this.#guard('wifi', () => this.#readWifi()),
      this.#guard('disks', () => this.#readDisks()),
    ]);
  }

  #due(tier: Tier, now: number, every: number, run: () => Promise<void>): void {
    if (this.#busy.has(tier) || now - (this.#last.get(tier) ?? -Infinity) < every) return;
    this.#last.set(tier, now);
    this.#busy.add(tier);
    void this.#guard(tier, run).finally(() => this.#busy.delete(tier));
  }

  /** Any failure inside a tier becomes that source's error status; the loop goes on. */
  async #guard(tier: Tier | SourceName, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (e) {
      const name: SourceName = tier === 'health' || tier === 'detect' ? 'gateway' : tier as SourceName;
      this.#status[name] = failed(e instanceof Error ? e.message : String(e));
    }
  }

  #set<T>(name: SourceName, r: Result<T>): T | undefined {
    this.#status[name] = r.ok ? ok() : r.status;
    return r.ok ? r.value : undefined;
  }

  async #readInterfaces(now: number): Promise<void> {
    const r = this.#set('interfaces', await this.#s.interfaces());
    if (!r) return;
    // Rates are right, but part of what is shown is not known: say which part.
    if (r.partial) this.#status.interfaces = unavailable(r.partial);
    this.#interfaces = this.#ifaces.update(r.counters, r.meta, now, r.counterBits);
    if (this.#cfg.detectors.bandwidth) this.#alerts.apply(this.#bandwidth.check(this.#interfaces, now), now);
    else this.#alerts.apply([], now);
  }

  async #readConnections(): Promise<void> {
    const r = await this.#s.sockets();
    const reading = this.#set('connections', r);
    // Interface counters read now, not the last tick's: coverage compares them with these socket counters.
    const ifr = await this.#s.interfaces();
    const now = this.#os.now();
    const tcp = await this.#s.tcpCounters();
    const counters = this.#set('tcpMetrics', tcp);
    if (counters) this.#tcpMetrics = this.#metrics(counters, now);
    if (!reading) { this.#status.processes = r.ok ? ok() : r.status; return; }
    this.#status.processes = reading.processes;
    // Interface totals only feed `unattributed`/`coverage`: without them the sockets still count.
    let totals: Totals | null = null;
    const own = new Set<string>();
    if (ifr.ok) {
      totals = { external: { rx: 0, tx: 0 }, loopback: { rx: 0, tx: 0 } };
      // External = the interfaces the headline total counts (shared/totals.ts), so the two agree.
      const typed = [...ifr.value.counters.keys()].map((name) => ({ name, type: ifr.value.meta.get(name)?.type ?? 'Other' as const }));
      const external = new Set(countedInterfaces(typed).map((i) => i.name));
      for (const [name, c] of ifr.value.counters) {
        const m = ifr.value.meta.get(name);
        for (const a of [...(m?.ipv4 ?? []), ...(m?.ipv6 ?? [])]) own.add(a.replace(/\/\d+$/, ''));
        const side = m?.type === 'Loopback' ? totals.loopback : external.has(name) ? totals.external : null;
        if (side) { side.rx += c.rxBytes; side.tx += c.txBytes; }
      }
    }
    let processTotals = null;
    if (this.#s.processTraffic) {
      const t = await this.#s.processTraffic();
      if (t.ok) processTotals = t.value;
      else this.#status.processes = t.status;
    }
    const destroyed = this.#destroyed;
    this.#destroyed = [];
    const shortLived = this.#status.destroyEvents.state === 'ok' ? 'counted' : 'unattributed';
    this.#poll = this.#sockets.poll({ now, sockets: reading.sockets, destroyed, totals, ownAddresses: own, shortLivedFlows: shortLived, processes: this.#s.processes, processTotals });
    this.#destroyed.unshift(...this.#poll.deferred);
    this.#pollTs = now;
  }

  #metrics(c: TcpCounters, now: number): TcpMetrics {
    const prev = this.#tcpPrev;
    this.#tcpPrev = { c, ts: now };
    const dt = prev ? now - prev.ts : 0;
    const d = (k: keyof TcpCounters) => (prev && dt > 0 ? counterDelta(prev.c[k], c[k], dt) ?? 0 : 0);
    const opens = d('activeOpens') + d('passiveOpens');
    const out = d('outSegs');
    return {
      ...c,
      activeOpensPerSec: perSec(d('activeOpens'), dt), passiveOpensPerSec: perSec(d('passiveOpens'), dt),
      attemptFailsPerSec: perSec(d('attemptFails'), dt), estabResetsPerSec: perSec(d('estabResets'), dt),
      retransSegsPerSec: perSec(d('retransSegs'), dt),
      retransmitPct: out > 0 ? Math.min(100, (d('retransSegs') / out) * 100) : 0,
      errorPct: opens > 0 ? Math.min(100, ((d('attemptFails') + d('estabResets')) / opens) * 100) : 0,
    };
  }

  async #detect(): Promise<void> {
    const gw = this.#set('gateway', await this.#s.gateway());
    const dns = this.#set('dns', await this.#s.dns());
    this.#health.gateway = gw ?? null;
    this.#health.dns = dns ?? null;
    // A new target starts a new history: old RTTs were to another host.
    if (this.#gwProbe?.target !== gw?.ip) this.#gwProbe = gw ? new ProbeTrack(gw.ip) : null;
    if (this.#dnsProbe?.target !== dns?.server) this.#dnsProbe = dns ? new ProbeTrack(dns.server) : null;
  }

  async #probe(): Promise<void> {
    const gw = this.#gwProbe, dns = this.#dnsProbe;
    await Promise.all([
      gw && probeGateway({ ping: (ip) => this.#s.ping(ip), tcpConnect: (h, p, t) => this.#os.tcpConnect(h, p, t), dnsQuery: (h, t) => this.#os.dnsQuery(h, t) }, gw.target).then((r) => {
        const now = this.#os.now();
        if (r.kind === 'reply') gw.success(r.rttMs, now, r.method, r.note);
        else gw.lost(now, r.reason);
      }),
      dns && this.#os.dnsQuery(dns.target, 2000).then((r) => {
        const now = this.#os.now();
        if (r.ok) dns.success(r.rttMs, now, 'dns-query');
        else dns.lost(now, r.reason);
      }),
    ]);
  }

  async #readSystem(): Promise<void> {
    const r = this.#set('system', await this.#s.system());
    if (!r) return;
    const prev = this.#cpuPrev;
    this.#cpuPrev = r.cpu;
    this.#system = {
      cpuPct: prev ? busyPct(prev.all, r.cpu.all) : 0,
      perCorePct: r.cpu.cores.map((c, i) => (prev?.cores[i] ? busyPct(prev.cores[i], c) : 0)),
      memory: r.memory, swap: r.swap, load: r.load,
    };
  }

  async #readWifi(): Promise<void> {
    const names = this.#interfaces.filter((i) => i.type === 'WiFi').map((i) => i.name);
    if (names.length === 0) { this.#wifi = []; this.#status.wifi = unavailable('no wireless interface'); return; }
    this.#wifi = this.#set('wifi', await this.#s.wifi(names)) ?? [];
  }

  async #readDisks(): Promise<void> {
    const r = this.#set('disks', await this.#s.disks());
    if (!r) return;
    const now = this.#os.now();
    this.#disks = r.map((d) => {
      const prev = this.#diskPrev.get(d.device);
      this.#diskPrev.set(d.device, { r: d.readBytes, w: d.writtenBytes, ts: now });
      const rate = (a: number | null | undefined, b: number | null) => {
        if (!prev || a == null || b === null) return null;
        const delta = counterDelta(a, b, now - prev.ts);
        return delta === null ? null : perSec(delta, now - prev.ts);
      };
      return { ...d, readBps: rate(prev?.r, d.readBytes), writeBps: rate(prev?.w, d.writtenBytes) };
    });
  }

  /** The current snapshot; the socket list only with `listInSnapshots` and `withConnections` (see connectionsOmitted). */
  snapshot(withConnections = true): Snapshot {
    const p = this.#poll;
    const emptyTraffic = { rxBytes: 0, txBytes: 0, rxBps: 0, txBps: 0 };
    const probesOff = unavailable('probes turned off in settings');
    const probe = (t: ProbeTrack | null) => {
      if (!t) return null;
      const s = t.snapshot();
      return this.#cfg.probes ? s : { ...s, status: probesOff };
    };
    return {
      version: SNAPSHOT_VERSION,
      ts: this.#os.now(),
      seq: this.#seq++,
      intervalMs: this.#cfg.intervalMs,
      platform: this.#s.platform,
      hostname: this.#os.hostname(),
      sources: { ...this.#status },
      interfaces: this.#interfaces,
      wifi: this.#wifi,
      health: { ...this.#health, gatewayProbe: probe(this.#gwProbe), dnsProbe: probe(this.#dnsProbe) },
      tcpStates: p?.tcpStates ?? (Object.fromEntries(TCP_STATES.map((s) => [s, 0])) as Snapshot['tcpStates']),
      tcpMetrics: this.#tcpMetrics,
      connections: this.#listInSnapshots && withConnections ? p?.table.rows() ?? [] : [],
      connectionsOmitted: !this.#listInSnapshots || !withConnections,
      totalSockets: p?.totalSockets ?? 0,
      connectionsTs: this.#pollTs,
      processes: p?.processes ?? [],
      apps: p?.apps ?? [],
      attribution: p?.attribution ?? {
        method: 'measured', unattributed: { external: emptyTraffic, loopback: emptyTraffic },
        coverage: { external: null, loopback: null }, shortLivedFlows: 'unattributed', note: 'no connection poll yet', unknownProcess: [],
        window: { ms: 0, external: { rxBps: 0, txBps: 0 }, loopback: { rxBps: 0, txBps: 0 } },
      },
      system: this.#system,
      disks: this.#disks,
      alerts: { active: this.#alerts.active(), history: this.#alerts.history() },
    };
  }
}
