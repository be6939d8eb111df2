// What `/metrics` (netwatch serve) and `netwatch exporter` expose: the engine's own knowledge, in base
// units with `_total` counters, and nothing node_exporter already exports under its names (interface
// byte/packet/error counters, TCP segment counters, CPU, memory, disks: README "Prometheus" says what
// to take from which). Cardinality is bounded: no pid or address label anywhere; per-app series only
// for the top N applications by bytes, the rest summed under app="other". The series bound:
// FIXED_SERIES + 1 per interface + 2 per Wi-Fi interface + 4 × (N + 1) + 2 × N (see seriesBound()).
// The packet capture's series (DNS messages and latency, connection outcomes, UDP, drops) are
// capture-metrics.ts.
import {
  ALERT_CATEGORIES, OPTIONAL_SOURCE_NAMES, SOURCE_NAMES, TCP_STATES, countedInterfaces, type AppUsage, type EngineLink, type Snapshot,
} from '../../../shared/index.ts';
import { Accumulator, Exposition, Histogram } from './prom-text.ts';
import { CAPTURE_SERIES, CaptureMetrics, DNS_BUCKETS_S } from './capture-metrics.ts';

export { DNS_BUCKETS_S };
const SEVERITIES = ['info', 'warning', 'critical'] as const;
/** Attribution keeps traffic on physical interfaces and on loopback apart. */
const SCOPES = ['external', 'loopback'] as const;
export const DEFAULT_TOP_APPS = 10;
/** `--top-apps N` (serve and exporter): an integer 0–1000, or null when it is not one. */
export function parseTopApps(flag: string | undefined): number | null {
  const n = flag === undefined ? DEFAULT_TOP_APPS : Number(flag);
  return Number.isInteger(n) && n >= 0 && n <= 1000 ? n : null;
}
/**
 * Series that do not depend on interfaces or apps: 17 single ones (engine_up, snapshot time, traffic ×2,
 * sockets, attempt fails, resets, coverage ×2, unattributed ×4, short-lived, DNS and gateway failures,
 * apps), one per source (the optional capture too), per TCP state, per alert category × (severities
 * + 1), two probe histograms, and the capture's series (CAPTURE_SERIES).
 */
export const FIXED_SERIES = 17 + SOURCE_NAMES.length + OPTIONAL_SOURCE_NAMES.length + TCP_STATES.length
  + ALERT_CATEGORIES.length * (SEVERITIES.length + 1) + 2 * (DNS_BUCKETS_S.length + 3) + CAPTURE_SERIES;

export const seriesBound = (topApps: number, interfaces: number, wifi: number): number => FIXED_SERIES + interfaces + 2 * wifi + 4 * (topApps + 1) + 2 * topApps;

/** The label a real app named like the rest bucket gets, so the two never merge. */
const OTHER = 'other';

/** `quality`: the connection quality of the label's first (highest-ranked) app; never summed for "other". */
interface AppSeries { rx: number; tx: number; sockets: number; processes: number; quality: AppUsage['quality'] }

export class PromMetrics {
  readonly topApps: number;
  #snap: Snapshot | null = null;
  #link: EngineLink = { state: 'down', reason: 'engine starting' };
  #rx = new Accumulator();
  #tx = new Accumulator();
  #unRx = new Accumulator();
  #unTx = new Accumulator();
  #unattributed = { external: { rx: 0, tx: 0 }, loopback: { rx: 0, tx: 0 } };
  #appRx = new Accumulator();
  #appTx = new Accumulator();
  /** Bytes credited to each app label, kept for the named ones and a few retired (a label that comes back goes on, not from 0). */
  #appTotals = new Map<string, { rx: number; tx: number }>();
  #appNow = new Map<string, AppSeries>();
  #connTs: number | null = null;
  #dns = new Histogram(DNS_BUCKETS_S);
  #gw = new Histogram(DNS_BUCKETS_S);
  #dnsFailures = 0;
  #gwFailures = 0;
  #probeTs = { dns: null as number | null, gw: null as number | null };
  #alertIds = new Set<string>();
  #alertsRaised = new Map<string, number>(ALERT_CATEGORIES.map((c) => [c, 0]));
  #capture = new CaptureMetrics();
  #cached: string | null = null;

  constructor(opts: { topApps?: number } = {}) {
    const n = opts.topApps ?? DEFAULT_TOP_APPS;
    if (!Number.isInteger(n) || n < 0 || n > 1000) throw new Error('top apps takes 0–1000');
    this.topApps = n;
  }

  link(l: EngineLink): void { this.#link = l; this.#cached = null; }

  update(s: Snapshot): void {
    this.#snap = s;
    this.#cached = null;
    const counted = countedInterfaces(s.interfaces);
    for (const i of counted) { this.#rx.add(i.name, i.counters.rxBytes); this.#tx.add(i.name, i.counters.txBytes); }
    const names = new Set(counted.map((i) => i.name));
    this.#rx.keep(names); this.#tx.keep(names);
    for (const scope of SCOPES) {
      const t = this.#unattributed[scope];
      t.rx += this.#unRx.add(scope, s.attribution.unattributed[scope].rxBytes);
      t.tx += this.#unTx.add(scope, s.attribution.unattributed[scope].txBytes);
    }
    this.#probes(s);
    this.#alerts(s);
    this.#capture.update(s);
    // Apps change with each connection poll only; ticks in between repeat them.
    if (s.connectionsTs !== null && s.connectionsTs !== this.#connTs) { this.#connTs = s.connectionsTs; this.#apps(s); }
  }

  #probes(s: Snapshot): void {
    const seen = (p: typeof s.health.dnsProbe, key: 'dns' | 'gw', h: Histogram): boolean => {
      if (!p || p.lastProbeTs === null || p.lastProbeTs === this.#probeTs[key]) return false;
      this.#probeTs[key] = p.lastProbeTs;
      if (p.rttMs !== null) h.observe(p.rttMs / 1000);
      return p.rttMs === null;
    };
    if (seen(s.health.dnsProbe, 'dns', this.#dns)) this.#dnsFailures++;
    if (seen(s.health.gatewayProbe, 'gw', this.#gw)) this.#gwFailures++;
  }

  #alerts(s: Snapshot): void {
    const ids = new Set<string>();
    for (const a of [...s.alerts.active, ...s.alerts.history]) {
      ids.add(a.id);
      if (!this.#alertIds.has(a.id)) this.#alertsRaised.set(a.category, (this.#alertsRaised.get(a.category) ?? 0) + 1);
    }
    this.#alertIds = ids;
  }

  #apps(s: Snapshot): void {
    // The top N by bytes since the engine started: a ranking that moves slowly, so named series stay.
    const ranked = s.apps.slice().sort((a, b) => (b.rxBytes + b.txBytes) - (a.rxBytes + a.txBytes));
    const named = new Set(ranked.slice(0, this.topApps).map((a) => (a.app === OTHER ? `${OTHER} (app)` : a.app)));
    const now = new Map<string, AppSeries>([[OTHER, { rx: 0, tx: 0, sockets: 0, processes: 0, quality: null }]]);
    for (const a of ranked) {
      const label = a.app === OTHER ? `${OTHER} (app)` : a.app;
      const key = named.has(label) ? label : OTHER;
      const cur = now.get(key) ?? { rx: 0, tx: 0, sockets: 0, processes: 0, quality: key === OTHER ? null : a.quality };
      cur.rx += this.#appRx.add(a.id, a.rxBytes);
      cur.tx += this.#appTx.add(a.id, a.txBytes);
      cur.sockets += a.connections;
      cur.processes += a.pids.length;
      now.set(key, cur);
    }
    const live = new Set(s.apps.map((a) => a.id));
    this.#appRx.keep(live); this.#appTx.keep(live);
    for (const [label, cur] of now) {
      const t = this.#appTotals.get(label) ?? { rx: 0, tx: 0 };
      t.rx += cur.rx; t.tx += cur.tx;
      this.#appTotals.delete(label); // re-inserted last: the map's order is least recently named first
      this.#appTotals.set(label, t);
    }
    for (const label of this.#appTotals.keys()) if (this.#appTotals.size > 4 * (this.topApps + 1)) this.#appTotals.delete(label);
    this.#appNow = now;
  }

  render(): string {
    if (this.#cached !== null) return this.#cached;
    const e = new Exposition();
    const s = this.#snap;
    e.single('netwatch_engine_up', 'gauge', 'Whether the engine is running and sending snapshots (1) or not (0).', this.#link.state === 'up' ? 1 : 0);
    e.single('netwatch_snapshot_timestamp_seconds', 'gauge', 'When the last snapshot was assembled, Unix time in seconds.', s ? s.ts / 1000 : null);
    if (s) this.#renderSnapshot(e, s);
    this.#cached = e.text();
    return this.#cached;
  }

  #renderSnapshot(e: Exposition, s: Snapshot): void {
    const sources = [...SOURCE_NAMES, ...OPTIONAL_SOURCE_NAMES.filter((n) => s.sources[n] !== undefined)];
    e.family('netwatch_source_up', 'gauge', 'Whether each collector source reads (1) or is unavailable or failing (0).', sources.map((n) => [{ source: n }, s.sources[n]!.state === 'ok' ? 1 : 0]));
    const counted = new Set(countedInterfaces(s.interfaces).map((i) => i.name));
    e.family('netwatch_interface_info', 'gauge', 'Each interface with its type, virtual kind and whether it counts in the total traffic (join node_network_* on device=interface).',
      s.interfaces.map((i) => [{ interface: i.name, type: i.type, kind: i.virtualKind ?? '', counted: counted.has(i.name) ? 'true' : 'false' }, 1]));
    e.single('netwatch_traffic_receive_bytes_total', 'counter', 'Bytes received on the counted interfaces (physical ones; no bridge or veth counted twice) since the exporter started.', this.#rx.total);
    e.single('netwatch_traffic_transmit_bytes_total', 'counter', 'Bytes sent on the counted interfaces since the exporter started.', this.#tx.total);
    e.family('netwatch_wifi_signal_dbm', 'gauge', 'Received Wi-Fi signal strength, dBm.', s.wifi.filter((w) => w.signalDbm !== null).map((w) => [{ interface: w.interface }, w.signalDbm!]));
    e.family('netwatch_wifi_associated', 'gauge', 'Whether the Wi-Fi interface is associated with an access point.', s.wifi.map((w) => [{ interface: w.interface }, w.associated ? 1 : 0]));
    e.single('netwatch_sockets', 'gauge', 'Sockets (TCP and UDP) seen in the last connection poll.', s.totalSockets);
    e.family('netwatch_tcp_sockets', 'gauge', 'TCP sockets by state in the last connection poll.', TCP_STATES.map((st) => [{ state: st }, s.tcpStates[st]]));
    const m = s.tcpMetrics;
    e.single('netwatch_tcp_attempt_fails_total', 'counter', 'TCP connection attempts that failed, since boot (Tcp AttemptFails; node_exporter leaves it out by default).', m ? m.attemptFails : null);
    e.single('netwatch_tcp_established_resets_total', 'counter', 'Established TCP connections reset, since boot (Tcp EstabResets).', m ? m.estabResets : null);
    e.family('netwatch_attribution_coverage_ratio', 'gauge', 'Share (0-1) of interface bytes credited to a process over the last connection poll; absent when nothing moved.',
      SCOPES.filter((k) => s.attribution.coverage[k] !== null).map((k) => [{ scope: k }, s.attribution.coverage[k]!]));
    e.family('netwatch_unattributed_receive_bytes_total', 'counter', 'Bytes received that no process is credited with, since the exporter started.', SCOPES.map((k) => [{ scope: k }, this.#unattributed[k].rx]));
    e.family('netwatch_unattributed_transmit_bytes_total', 'counter', 'Bytes sent that no process is credited with, since the exporter started.', SCOPES.map((k) => [{ scope: k }, this.#unattributed[k].tx]));
    e.single('netwatch_short_lived_flows_counted', 'gauge', 'Whether socket-destroy events are followed, so flows shorter than a poll are counted (1) or land in unattributed (0).', s.attribution.shortLivedFlows === 'counted' ? 1 : 0);
    e.histogram('netwatch_dns_probe_duration_seconds', 'Round trip of the DNS probe (a query to the configured server), on the DNS analytics\' buckets.', this.#dns);
    e.single('netwatch_dns_probe_failures_total', 'counter', 'DNS probes that got no answer.', this.#dnsFailures);
    e.histogram('netwatch_gateway_probe_duration_seconds', 'Round trip of the gateway ping probe.', this.#gw);
    e.single('netwatch_gateway_probe_failures_total', 'counter', 'Gateway probes that got no answer.', this.#gwFailures);
    this.#capture.render(e);
    e.family('netwatch_alerts_active', 'gauge', 'Alerts active now, by category and severity.', ALERT_CATEGORIES.flatMap((c) => SEVERITIES.map((v) => [{ category: c, severity: v }, s.alerts.active.filter((a) => a.category === c && a.severity === v).length] as const)));
    e.family('netwatch_alerts_total', 'counter', 'Alerts raised since the exporter started, by category.', ALERT_CATEGORIES.map((c) => [{ category: c }, this.#alertsRaised.get(c) ?? 0]));
    e.single('netwatch_apps', 'gauge', 'Applications with sockets in the last connection poll.', s.apps.length);
    const apps = [...this.#appNow.entries()];
    const total = (label: string) => this.#appTotals.get(label) ?? { rx: 0, tx: 0 };
    e.family('netwatch_app_receive_bytes_total', 'counter', `Bytes received by each of the top ${this.topApps} applications (app="other": all the rest), since the exporter started.`, apps.map(([a]) => [{ app: a }, total(a).rx]));
    e.family('netwatch_app_transmit_bytes_total', 'counter', 'Bytes sent by each of the top applications (app="other": all the rest), since the exporter started.', apps.map(([a]) => [{ app: a }, total(a).tx]));
    e.family('netwatch_app_sockets', 'gauge', 'Open sockets of each top application (app="other": all the rest).', apps.map(([a, v]) => [{ app: a }, v.sockets]));
    e.family('netwatch_app_processes', 'gauge', 'Processes of each top application (app="other": all the rest).', apps.map(([a, v]) => [{ app: a }, v.processes]));
    // Connection quality over each top app's established external TCP sockets (none for loopback-only apps).
    const q = apps.filter(([, v]) => v.quality !== null);
    e.family('netwatch_app_tcp_rtt_p95_seconds', 'gauge', '95th percentile of the smoothed RTT over each top application\'s established external TCP sockets.', q.map(([a, v]) => [{ app: a }, v.quality!.rttP95Ms / 1000]));
    e.family('netwatch_app_tcp_retransmit_ratio', 'gauge', 'Segments retransmitted / sent (0-1) over the lives of each top application\'s external TCP sockets.',
      q.filter(([, v]) => v.quality!.retransmitPct !== null).map(([a, v]) => [{ app: a }, v.quality!.retransmitPct! / 100]));
  }
}
