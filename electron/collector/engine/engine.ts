// The engine: a scheduler of tier modules (tier.ts), each with its own state and cadence, and the
// assembly of the snapshot from what they hold. Interfaces are read at every tick (the engine's clock);
// every other tier's jobs start when due and run alongside, never two runs of one job at a time.
import {
  HostMessageSchema, NEW_APP_STORE_KEY, issuesText, mergeConfig, SNAPSHOT_VERSION, TCP_STATES, assertNever, failed,
  type EngineConfig, type EngineMessage, type UsageAnswer, type UsageQuery, type Snapshot, type ConnectionPage, type ConnectionQuery,
} from '../../../shared/index.ts';
import type { OsIO } from '../os.ts';
import type { Sources } from '../sources.ts';
import { AlertStore, BandwidthDetector, QuotaDetector, type Trigger } from './alerts.ts';
import { StatusBoard, type AnySource, type Job, type TierEnv } from './tier.ts';
import { InterfacesTier } from './interfaces-tier.ts';
import { ConnectionsTier } from './connections-tier.ts';
import { HealthTier } from './health-tier.ts';
import { SystemTier } from './system-tier.ts';
import { DisksTier } from './disks-tier.ts';
import { WifiTier } from './wifi-tier.ts';
import { HistoryTier } from './history-tier.ts';
import { CaptureTier } from './capture-tier.ts';
import { IntelTier } from './intel/intel-tier.ts';
import { eventOfSocket, eventsOfReport } from './intel/events.ts';
import { NewAppDetector } from './new-app.ts';
import { KnownApps, knownAppsPath } from './known-apps.ts';
import { NetworkChangeDetector } from './network-change.ts';
import { ResolvedDns } from './resolved-dns.ts';

export interface EngineDeps {
  sources: Sources; os: OsIO; config: EngineConfig; emit: (m: EngineMessage) => void;
  /**
   * Put the whole socket list in snapshots (the CLI, `netwatch record`). Views leave it out and ask for
   * the page they show with `query-connections`: at 16k sockets the list costs ~25 MB of RSS to send.
   */
  listInSnapshots?: boolean;
  /** The usage history database (history/store.ts); null or absent: no history kept. */
  historyPath?: string | null;
  /** The new-app detector's learned apps; absent: `known-apps.json` beside the history, none without one (memory only). */
  knownAppsPath?: string | null;
}

export class Engine {
  #s: Sources;
  #os: OsIO;
  #cfg: EngineConfig;
  #emit: (m: EngineMessage) => void;
  #visible = false;
  #listInSnapshots: boolean;
  #paused = false;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #seq = 0;
  /** connectionsTs of the last emitted snapshot that carried the socket list. */
  #sentPollTs: number | null = null;
  #status = new StatusBoard();
  #interfaces: InterfacesTier;
  #connections: ConnectionsTier;
  #health: HealthTier;
  #system: SystemTier;
  #disks: DisksTier;
  #wifi: WifiTier;
  #history: HistoryTier;
  /** pollTs of the last connection poll handed to the history. */
  #historyPollTs: number | null = null;
  #capture: CaptureTier;
  #intel: IntelTier;
  /** Every scheduled job, in the order a tick starts them. */
  #jobs: Job[];
  /** When each job last started (ms); absent = due now. */
  #last = new Map<string, number>();
  #busy = new Set<string>();
  #alerts = new AlertStore();
  #bandwidth: BandwidthDetector;
  #quota = new QuotaDetector();
  #quotas: ReturnType<HistoryTier['quotas']> = [];
  #knownApps: KnownApps;
  #newApp: NewAppDetector;
  #networkChange = new NetworkChangeDetector();
  #resolved: ResolvedDns;
  /** pollTs of the last connection poll the new-app detector saw. */
  #detectedPollTs: number | null = null;

  constructor(d: EngineDeps) {
    this.#s = d.sources;
    this.#os = d.os;
    this.#cfg = d.config;
    this.#emit = d.emit;
    this.#listInSnapshots = d.listInSnapshots ?? false;
    this.#bandwidth = new BandwidthDetector(d.config.bandwidthThresholdBps);
    const env: TierEnv = { sources: d.sources, os: d.os, config: () => this.#cfg, status: this.#status };
    this.#interfaces = new InterfacesTier(env);
    this.#capture = new CaptureTier(env);
    this.#connections = new ConnectionsTier(env, this.#capture);
    this.#health = new HealthTier(env);
    this.#system = new SystemTier(env);
    this.#wifi = new WifiTier(env, () => this.#interfaces.list);
    this.#disks = new DisksTier(env);
    this.#history = new HistoryTier(env, d.historyPath ?? null);
    this.#knownApps = KnownApps.open(d.knownAppsPath !== undefined ? d.knownAppsPath : knownAppsPath(d.historyPath ?? null), d.os.now());
    this.#newApp = new NewAppDetector(this.#knownApps);
    this.#intel = new IntelTier(env, () => this.#interfaces.list);
    this.#resolved = new ResolvedDns(d.sources, () => d.os.now(), (ms) => this.#intel.ingest(ms.map((m) => ({ kind: 'dns' as const, ts: m.atUs / 1000, msg: m }))));
    this.#capture.listeners.push((r) => this.#intel.ingest(eventsOfReport(r)));
    this.#capture.ownerListeners.push((hs, owner) => this.#intel.attribute(hs, owner));
    // Without the capture (unprivileged): attempts from socket births and destroy events instead.
    this.#connections.attemptListeners.push((outcome, app, s) => {
      const e = this.#capture.active ? null : eventOfSocket(outcome, app, s, this.#os.now());
      if (e) this.#intel.ingest([e]);
    });
    this.#jobs = [...this.#capture.jobs, ...this.#intel.jobs, ...this.#connections.jobs, ...this.#health.jobs, ...this.#system.jobs, ...this.#wifi.jobs, ...this.#disks.jobs, ...this.#history.jobs];
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
    this.#connections.unfollow();
    this.#feedHistory();
    this.#history.close();
    this.#capture.stop();
    this.#resolved.stop();
    this.#s.stop();
  }

  /** Usage totals and series from the history (the Usage view, `netwatch usage`, serve's API). */
  queryUsage(q: UsageQuery): UsageAnswer { this.#feedHistory(); return this.#history.query(q); }

  /** Hands a connection poll the history has not seen yet to it. */
  #feedHistory(): void {
    const c = this.#connections;
    if (c.poll && c.pollTs !== null && c.pollTs !== this.#historyPollTs) {
      this.#historyPollTs = c.pollTs;
      this.#history.addApps(c.poll.appDeltas, c.poll.attribution.window.ms, c.pollTs);
      // The capture's per-host and per-service bytes of the same poll (absent without capture).
      const flows = this.#capture.accounts.lastPoll;
      if (flows?.ts === c.pollTs) this.#history.addFlows(flows.rows, c.poll.attribution.window.ms, c.pollTs);
    }
  }

  setVisible(v: boolean): void {
    // Becoming visible asks for fresh connections at once rather than at the hidden cadence.
    if (v && !this.#visible) { this.#last.delete('connections'); this.#sentPollTs = null; }
    this.#visible = v;
  }

  /** One page of the latest poll's sockets (for views with their own port, see views.ts). */
  queryConnections(q: ConnectionQuery): ConnectionPage { return this.#connections.query(q); }

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
        if (before !== this.#cfg.destroyEvents) this.#connections.refollow();
        this.#capture.configure();
        break;
      }
      case 'set-visibility': this.setVisible(msg.visible); break;
      case 'query-connections':
        this.#emit({ type: 'connections', requestId: msg.requestId, page: this.queryConnections(msg.query) });
        break;
      case 'query-usage':
        this.#emit({ type: 'usage', requestId: msg.requestId, answer: this.queryUsage(msg.query) });
        break;
      case 'attach-view': break; // the host entry (main.ts) takes the port; nothing for the engine itself
      case 'pause': this.#paused = true; this.#emit({ type: 'status', state: 'paused', pid: process.pid }); break;
      case 'resume': this.#paused = false; this.#emit({ type: 'status', state: 'running', pid: process.pid }); break;
      case 'stop': this.stop(); this.#emit({ type: 'status', state: 'stopping', pid: process.pid }); break;
      default: assertNever(msg);
    }
  }

  /** Starts following socket-destroy events (start() does this; one-shot users call it themselves). */
  followDestroyEvents(): void { this.#connections.follow(); }

  /** One interface tick, with every other job that is due started alongside; emits a snapshot. */
  async tick(): Promise<void> {
    const now = this.#os.now();
    await this.#guard('interfaces', () => this.#readInterfaces(now));
    this.#feedHistory();
    if (this.#health.routesChanged()) this.#last.delete('detect');
    for (const job of this.#jobs) this.#due(job, now);
    // Without the capture, DNS lookups from systemd-resolved's monitor (never both: no lookup counted twice).
    if (this.#running) this.#resolved.update(!this.#capture.active);
    const fresh = this.#connections.pollTs !== this.#sentPollTs;
    if (fresh && this.#listInSnapshots) this.#sentPollTs = this.#connections.pollTs;
    this.#emit({ type: 'snapshot', snapshot: this.snapshot(fresh) });
  }

  /** Runs every tier once and waits for all of them (the CLI's `snapshot`, tests). */
  async pollAll(): Promise<void> {
    const now = this.#os.now();
    await this.#guard('interfaces', () => this.#readInterfaces(now));
    this.#health.routesChanged();
    // The capture first: the connection poll below takes its flows (the first call starts the helper).
    await this.#guard('capture', () => this.#capture.collect());
    await Promise.all([
      this.#guard('connections', () => this.#connections.read()),
      this.#guard('gateway', () => this.#health.detect().then(() => (this.#cfg.probes ? this.#health.probe() : undefined))),
      this.#guard('system', () => this.#system.read()),
      this.#guard('wifi', () => this.#wifi.read()),
      this.#guard('disks', () => this.#disks.read()),
    ]);
    this.#feedHistory();
  }

  #due(job: Job, now: number): void {
    const every = job.every(this.#cfg, this.#visible);
    if (every === null || this.#busy.has(job.key) || now - (this.#last.get(job.key) ?? -Infinity) < every) return;
    this.#last.set(job.key, now);
    this.#busy.add(job.key);
    void this.#guard(job.source, () => job.run()).finally(() => this.#busy.delete(job.key));
  }

  /** Any failure inside a tier becomes that source's error status; the loop goes on. */
  async #guard(source: AnySource, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (e) {
      this.#status.set(source, failed(e instanceof Error ? e.message : String(e)));
    }
  }

  async #readInterfaces(now: number): Promise<void> {
    if (!(await this.#interfaces.read(now))) return;
    this.#history.addInterfaces(this.#interfaces.deltas, now);
    this.#quotas = this.#history.quotas(now);
    this.#alerts.apply([
      ...(this.#cfg.detectors.bandwidth ? this.#bandwidth.check(this.#interfaces.list, now, this.#connections.poll?.apps) : []),
      ...this.#quota.check(this.#quotas, now),
      ...this.#intel.take(),
      ...this.#stateDetectors(now),
    ], now);
  }

  /**
   * New-app (once per connection poll) and network-change. Both learn while switched off, so turning
   * one on does not alert on what happened meanwhile.
   */
  #stateDetectors(now: number): Trigger[] {
    const on = this.#cfg.detectors;
    const out: Trigger[] = [];
    const c = this.#connections;
    if (c.pollTs !== null && c.pollTs !== this.#detectedPollTs) {
      this.#detectedPollTs = c.pollTs;
      out.push(...this.#newApp.check(c.outside, now, on['new-app'], this.#cfg.intel.allow));
    }
    const k = this.#knownApps;
    if (k.notice) {
      out.push({ key: NEW_APP_STORE_KEY, category: 'new-app', severity: 'info', title: 'Learned apps started afresh', detail: k.notice, value: 0, threshold: 0 });
      k.notice = null;
    }
    const changes = this.#networkChange.check(this.#health.network(), now);
    if (on['network-change']) out.push(...changes);
    return out;
  }

  /** The capture's DNS analytics while it runs; else the resolved monitor's; else the capture's so far (null if none). */
  #dns(captured: boolean): Snapshot['dns'] {
    const resolved = this.#capture.active ? null : this.#resolved.snapshot();
    return resolved ?? (captured ? this.#capture.dnsAnalytics.snapshot() : null);
  }

  /** The current snapshot; the socket list only with `listInSnapshots` and `withConnections` (see connectionsOmitted). */
  snapshot(withConnections = true): Snapshot {
    const c = this.#connections;
    const p = c.poll;
    const emptyTraffic = { rxBytes: 0, txBytes: 0, rxBps: 0, txBps: 0 };
    const capture = this.#capture.section();
    return {
      version: SNAPSHOT_VERSION,
      ts: this.#os.now(),
      seq: this.#seq++,
      intervalMs: this.#cfg.intervalMs,
      platform: this.#s.platform,
      hostname: this.#os.hostname(),
      sources: this.#status.copy(),
      interfaces: this.#interfaces.list,
      wifi: this.#wifi.list,
      health: this.#health.snapshot(),
      tcpStates: p?.tcpStates ?? (Object.fromEntries(TCP_STATES.map((s) => [s, 0])) as Snapshot['tcpStates']),
      tcpMetrics: c.tcpMetrics,
      connections: this.#listInSnapshots && withConnections ? p?.table.rows() ?? [] : [],
      connectionsOmitted: !this.#listInSnapshots || !withConnections,
      totalSockets: p?.totalSockets ?? 0,
      connectionsTs: c.pollTs,
      processes: p?.processes ?? [],
      apps: p?.apps ?? [],
      attribution: p?.attribution ?? {
        method: 'measured', unattributed: { external: emptyTraffic, loopback: emptyTraffic },
        coverage: { external: null, loopback: null }, shortLivedFlows: 'unattributed', note: 'no connection poll yet', unknownProcess: [],
        window: { ms: 0, external: { rxBps: 0, txBps: 0 }, loopback: { rxBps: 0, txBps: 0 } },
      },
      system: this.#system.value,
      disks: this.#disks.list,
      alerts: { active: this.#alerts.active(), history: this.#alerts.history() },
      quotas: this.#quotas,
      capture,
      connects: this.#capture.connectSection(),
      // DNS analytics: null until the capture or resolved's monitor reports (sources.capture says why).
      dns: this.#dns(capture !== null),
    };
  }
}
