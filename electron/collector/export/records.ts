// The record types every export format writes: JSON Lines, CSV (one file per type) and the binary
// stream. One table of types and columns, so a format never lists fields of its own and a new record
// type (the flow source's flow/host/service records) is one entry here: see ADDING A RECORD TYPE below.
import { totalRates, type Snapshot } from '../../../shared/index.ts';

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

/*
 * ADDING A RECORD TYPE (the flow source's flow, host and service records): append an entry below with
 * its columns and a `rows(snapshot)` over the snapshot field that carries them. JSONL, CSV and the
 * binary stream pick it up; then regenerate the binary schema (`node scripts/export-schema.ts`) and
 * commit it — the test fails while the committed file and this table disagree.
 */
export const RECORD_TYPES: readonly RecordType[] = [system, socket, processRecord];

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
