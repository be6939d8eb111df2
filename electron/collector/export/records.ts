// The record types every export format writes: JSON Lines, CSV (one file per type) and the binary
// stream. One table of types and columns, so a format never lists fields of its own and a new record
// type is one entry here: see ADDING A RECORD TYPE below.
import { totalRates, type ConnectMetrics, type HostUsage, type Snapshot, type Traffic } from '../../../shared/index.ts';

/**
 * What a column holds. `json`: nested data (arrays, objects) — native in JSONL and MessagePack, JSON
 * text in a CSV cell. Units are in the column names (_bps bytes/s, _us µs, _ms ms, ts epoch ms).
 */
export type ColumnKind = 'string' | 'int' | 'float' | 'bool' | 'json';
export interface Column { name: string; kind: ColumnKind; nullable?: boolean }
export type Row = Record<string, unknown>;

export interface RecordType {
  /** The `type` field of a JSONL line, the CSV file's name (`socket.csv`), the binary record's tag. */
  type: string;
  /** Columns in output order. Append only: the binary schema numbers fields by position. */
  columns: readonly Column[];
  /** This type's rows in one connection cycle. */
  rows(s: Snapshot): Row[];
}

const col = (name: string, kind: ColumnKind, nullable = false): Column => (nullable ? { name, kind, nullable } : { name, kind });
/** Every record of one cycle carries the time of the connection poll it comes from (epoch ms). */
const cycleTs = (s: Snapshot) => s.connectionsTs ?? s.ts;

const system: RecordType = {
  type: 'system',
  columns: [
    col('ts', 'int'), col('interval_ms', 'int'), col('total_sockets', 'int'), col('state_counts', 'json'),
    col('rx_bps', 'float'), col('tx_bps', 'float'), col('coverage', 'json'), col('sources', 'json'),
  ],
  rows: (s) => {
    // The same total as the tray and the popover: bridges and veths would count the same bytes twice.
    const total = totalRates(s.interfaces);
    return [{
      ts: cycleTs(s), interval_ms: s.intervalMs, total_sockets: s.totalSockets,
      state_counts: Object.entries(s.tcpStates).map(([state, count]) => ({ state, count })),
      rx_bps: total.rxBps, tx_bps: total.txBps, coverage: s.attribution.coverage, sources: s.sources,
    }];
  },
};

const socket: RecordType = {
  type: 'socket',
  columns: [
    col('ts', 'int'), col('proto', 'string'), col('local', 'string'), col('remote', 'string', true), col('state', 'string'),
    col('pid', 'int', true), col('command', 'string', true), col('inode', 'int'), col('rtt_us', 'float', true),
    col('bytes_sent', 'int', true), col('bytes_received', 'int', true), col('tx_bps', 'float'), col('rx_bps', 'float'),
    col('cwnd', 'int', true), col('retrans', 'int', true),
  ],
  rows: (s) => s.connections.map((c) => ({
    ts: cycleTs(s), proto: c.protocol, local: c.local, remote: c.remote, state: c.state, pid: c.pid,
    command: c.process, inode: c.inode, rtt_us: c.rttUs, bytes_sent: c.bytesSent, bytes_received: c.bytesReceived,
    tx_bps: c.txBps, rx_bps: c.rxBps, cwnd: c.tcp?.cwnd ?? null, retrans: c.tcp?.retransmits ?? null,
  })),
};

const processRecord: RecordType = {
  type: 'process',
  columns: [
    col('ts', 'int'), col('pid', 'int'), col('name', 'string'), col('app', 'string'), col('app_id', 'string'),
    col('command', 'string'), col('self', 'bool'), col('connections', 'int'), col('rx_bytes', 'int'), col('tx_bytes', 'int'),
    col('rx_bps', 'float'), col('tx_bps', 'float'), col('estimated', 'bool'),
  ],
  rows: (s) => s.processes.map((p) => ({
    ts: cycleTs(s), pid: p.pid, name: p.name, app: p.app, app_id: p.appId, command: p.command, self: p.self,
    connections: p.connections, rx_bytes: p.rxBytes, tx_bytes: p.txBytes, rx_bps: p.rxBps, tx_bps: p.txBps, estimated: p.estimated,
  })),
};

// The packet capture's records (contract: shared/contract/flows.ts). No rows while the capture is
// unavailable (snapshot.capture null or absent: sources.capture says why); `connect` rows come from the
// socket-destroy events or the kernel counters then (their method says which). Bytes are transport
// payload, as in the socket records; counts and bytes are since the engine started, rates over the
// last connection poll.
const traffic = [col('rx_bytes', 'int'), col('tx_bytes', 'int'), col('rx_bps', 'float'), col('tx_bps', 'float')] as const;
const trafficOf = (t: Traffic) => ({ rx_bytes: t.rxBytes, tx_bytes: t.txBytes, rx_bps: t.rxBps, tx_bps: t.txBps });
/** `name`: the latest name DNS answered for the address (text a spreadsheet sees first, so neutralised in CSV); `names`: up to 4, latest first. */
const hostCols = [col('address', 'string'), col('name', 'string', true), col('names', 'json'), ...traffic, col('last_active', 'int')] as const;
const hostOf = (h: HostUsage) => ({ address: h.address, name: h.names[0] ?? null, names: h.names, ...trafficOf(h), last_active: h.lastActive });

/** One row per cycle: what the capture helper saw and the engine's totals from it. */
const capture: RecordType = {
  type: 'capture',
  columns: [
    col('ts', 'int'), col('interface', 'string'), col('packets', 'int'), col('ip_bytes', 'int'), col('kernel_drops', 'int'),
    col('interface_drops', 'int'), col('events_lost', 'int'), col('evicted_flows', 'int'), col('helper_max_rss_kb', 'int'),
    col('udp_credited_bytes', 'int'), col('udp_unattributed_bytes', 'int'),
    col('tcp_socket_bytes', 'int'), col('tcp_capture_bytes', 'int'), col('tcp_flows', 'int'),
    col('other_hosts_rx_bytes', 'int'), col('other_hosts_tx_bytes', 'int'), col('other_services_rx_bytes', 'int'), col('other_services_tx_bytes', 'int'),
    col('dns_queries', 'int'), col('dns_responses', 'int'), col('dns_nxdomain', 'int'), col('dns_other_errors', 'int'), col('dns_malformed', 'int'),
  ],
  rows: (s) => {
    const c = s.capture;
    if (!c) return [];
    return [{
      ts: cycleTs(s), interface: c.interface, packets: c.packets, ip_bytes: c.ipBytes, kernel_drops: c.kernelDrops,
      interface_drops: c.interfaceDrops, events_lost: c.eventsLost, evicted_flows: c.evictedFlows, helper_max_rss_kb: c.helperMaxRssKb,
      udp_credited_bytes: c.udp.creditedBytes, udp_unattributed_bytes: c.udp.unattributedBytes,
      tcp_socket_bytes: c.tcpCrossCheck.socketBytes, tcp_capture_bytes: c.tcpCrossCheck.captureBytes, tcp_flows: c.tcpCrossCheck.flows,
      other_hosts_rx_bytes: c.otherHosts.rxBytes, other_hosts_tx_bytes: c.otherHosts.txBytes,
      other_services_rx_bytes: c.otherServices.rxBytes, other_services_tx_bytes: c.otherServices.txBytes,
      dns_queries: c.dns.queries, dns_responses: c.dns.responses, dns_nxdomain: c.dns.nxdomain, dns_other_errors: c.dns.otherErrors, dns_malformed: c.dns.malformed,
    }];
  },
};

/** A remote host: every byte this machine exchanged with one address (the MAX_HOSTS most recent; the rest in capture.other_hosts_*). */
const host: RecordType = {
  type: 'host',
  columns: [col('ts', 'int'), ...hostCols],
  rows: (s) => (s.capture?.hosts ?? []).map((h) => ({ ts: cycleTs(s), ...hostOf(h) })),
};

/**
 * A flow: one application's traffic with one remote host (the capture's per-app host accounts; at most
 * HOSTS_PER_APP per app, the most active first). Per socket (5-tuple) bytes are the socket records.
 */
const flow: RecordType = {
  type: 'flow',
  columns: [col('ts', 'int'), col('app_id', 'string'), col('app', 'string'), ...hostCols],
  rows: (s) => (s.capture?.appHosts ?? []).flatMap((a) => a.hosts.map((h) => ({ ts: cycleTs(s), app_id: a.appId, app: a.app, ...hostOf(h) }))),
};

/** A service: one port of a port set (config portSets, Settings' accounted ports) with one peer. */
const service: RecordType = {
  type: 'service',
  columns: [col('ts', 'int'), col('set', 'string'), col('port', 'int'), col('protocol', 'string'), col('role', 'string'), col('peer', 'string'), ...traffic],
  rows: (s) => (s.capture?.services ?? []).map((v) => ({
    ts: cycleTs(s), set: v.set, port: v.port, protocol: v.protocol, role: v.role, peer: v.peer, ...trafficOf(v),
  })),
};

/** TCP connection attempts and outcomes: the total (app_id and app null), then one row per app (none from the kernel counters). */
const connect: RecordType = {
  type: 'connect',
  columns: [
    col('ts', 'int'), col('app_id', 'string', true), col('app', 'string', true), col('method', 'string'), col('attempts', 'int'),
    col('successes', 'int'), col('refused', 'int', true), col('timed_out', 'int', true), col('failures', 'int'),
    col('error_pct', 'float', true), col('avg_connect_ms', 'float', true), col('p95_connect_ms', 'float', true),
  ],
  rows: (s) => {
    const c = s.connects;
    if (!c) return [];
    const row = (m: ConnectMetrics, appId: string | null, app: string | null) => ({
      ts: cycleTs(s), app_id: appId, app, method: m.method, attempts: m.attempts, successes: m.successes, refused: m.refused,
      timed_out: m.timedOut, failures: m.failures, error_pct: m.errorPct, avg_connect_ms: m.avgConnectMs, p95_connect_ms: m.p95ConnectMs,
    });
    return [row(c.total, null, null), ...c.apps.map((a) => row(a, a.appId, a.app))];
  },
};

/*
 * ADDING A RECORD TYPE: append an entry below with its columns and a `rows(snapshot)` over the
 * snapshot field that carries them. JSONL, CSV and the binary stream pick it up; then regenerate the
 * binary schema (`node scripts/export-schema.ts`) and commit it — the test fails while the committed
 * file and this table disagree. The round-trip test wants a row of every type in its recordings.
 */
export const RECORD_TYPES: readonly RecordType[] = [system, socket, processRecord, capture, host, flow, service, connect];

/**
 * `netwatch usage --csv`: one row per key of the usage history's totals (usage-cli.ts); not a cycle
 * record, so not in RECORD_TYPES. `from`/`to` epoch ms, bytes over that range.
 */
export const USAGE_TOTALS: RecordType = {
  type: 'usage',
  columns: [col('from', 'int'), col('to', 'int'), col('by', 'string'), col('key', 'string'), col('name', 'string'), col('rx_bytes', 'int'), col('tx_bytes', 'int')],
  rows: () => [],
};

/** One cycle's records in stream order: the system line, then each type's rows in table order. */
export function cycleRecords(s: Snapshot, types: readonly RecordType[] = RECORD_TYPES): Array<{ type: RecordType; row: Row }> {
  const out: Array<{ type: RecordType; row: Row }> = [];
  for (const t of types) for (const row of t.rows(s)) out.push({ type: t, row });
  return out;
}

/** The JSONL form: `type` first, then the columns. */
export const jsonlLine = (t: RecordType, row: Row): string => JSON.stringify({ type: t.type, ...row });
