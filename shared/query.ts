// A window onto the socket list: filter, sort, then one page of rows. Views never receive the whole
// list (16k rows are ~6 MB of JSON every 2 s, and cost the engine ~25 MB of RSS to serialise): the
// virtualised table asks for the rows it shows. The engine, the replay server and tests run this
// same function, so a filter means the same everywhere.
import quickselect from 'quickselect';
import * as z from 'zod/mini';
import { TCP_STATES, type Connection } from './contract/connections.ts';

export const CONNECTION_SORT_KEYS = [
  'process', 'pid', 'protocol', 'local', 'remote', 'state', 'rttUs', 'txBps', 'rxBps', 'bytesSent', 'bytesReceived',
] as const;
export type ConnectionSortKey = (typeof CONNECTION_SORT_KEYS)[number];

/** Most rows one answer carries; a table shows ~40 and asks for a margin around them. */
export const MAX_PAGE = 1000;

/**
 * A connection's identity across polls and re-sorts (a row number is not one): protocol, both endpoints
 * and the kernel socket inode. The inode alone names a live socket, but every TIME-WAIT socket has inode
 * 0, and a server's accepted sockets share its local endpoint: the remote tells those apart.
 */
export const ConnectionKeySchema = z.object({
  protocol: z.enum(['tcp', 'udp']),
  local: z.string().check(z.maxLength(100)),
  remote: z.nullable(z.string().check(z.maxLength(100))),
  inode: z.int().check(z.nonnegative()),
});
export type ConnectionKey = z.infer<typeof ConnectionKeySchema>;
export const connectionKey = (c: ConnectionKey): ConnectionKey => ({ protocol: c.protocol, local: c.local, remote: c.remote, inode: c.inode });
export const sameConnection = (a: ConnectionKey | null, b: ConnectionKey | null): boolean =>
  !!a && !!b && a.inode === b.inode && a.protocol === b.protocol && a.local === b.local && a.remote === b.remote;

export const ConnectionQuerySchema = z.object({
  /** Case-insensitive substring of address, process name, state or pid; empty = everything. */
  text: z.string().check(z.maxLength(200)),
  pid: z.nullable(z.int().check(z.positive())),
  state: z.nullable(z.union([z.enum(TCP_STATES), z.literal('UNCONN')])),
  protocol: z.nullable(z.enum(['tcp', 'udp'])),
  /** Local or remote port. */
  port: z.nullable(z.int().check(z.gte(0), z.lte(65535))),
  sort: z.enum(CONNECTION_SORT_KEYS),
  descending: z.boolean(),
  offset: z.int().check(z.nonnegative()),
  limit: z.int().check(z.gte(0), z.lte(MAX_PAGE)),
  /** The selected connection: the answer says where it now stands in this order (`selectedIndex`). */
  select: z.optional(z.nullable(ConnectionKeySchema)),
});
export type ConnectionQuery = z.infer<typeof ConnectionQuerySchema>;

export const defaultQuery = (): ConnectionQuery => ({
  text: '', pid: null, state: null, protocol: null, port: null, sort: 'rxBps', descending: true, offset: 0, limit: 200,
});

export interface ConnectionPage {
  /** Echoes the query so an answer that arrives late can be told from the current one. */
  query: ConnectionQuery;
  /** Epoch ms of the connection poll the rows come from; null before the first poll. */
  connectionsTs: number | null;
  /** Sockets in the poll, and how many pass the filter. */
  total: number;
  matched: number;
  rows: Connection[];
  /**
   * Sockets per state among those passing every filter but the state one: the state chips count within
   * the current filter (and a chip's count is what clicking it shows).
   */
  states: Partial<Record<ConnectionState, number>>;
  /** Index of `query.select` in the filtered order; null when it closed or the filter hides it (or none asked). */
  selectedIndex: number | null;
}

export type ConnectionState = Connection['state'];

const portOf = (endpoint: string | null): number | null => {
  if (!endpoint) return null;
  const i = endpoint.lastIndexOf(':');
  const n = Number(endpoint.slice(i + 1));
  return i >= 0 && Number.isInteger(n) ? n : null;
};

type NumberKey = 'pid' | 'rttUs' | 'txBps' | 'rxBps' | 'bytesSent' | 'bytesReceived';
type TextKey = Exclude<ConnectionSortKey, NumberKey>;
const TEXT_KEYS: ReadonlySet<ConnectionSortKey> = new Set<TextKey>(['process', 'protocol', 'local', 'remote', 'state']);

/**
 * What a query reads of row i. The engine answers through this from its socket samples and builds
 * Connection objects only for the page: a row object per socket kept between polls was ~5 MB of its
 * heap at 16k sockets. `queryConnections` reads a plain row list through the same interface.
 */
export interface ConnectionTable {
  readonly size: number;
  number(i: number, key: NumberKey): number | null;
  /** `local`/`remote` as shown (`1.2.3.4:443`); these two may be built per call, so they are asked
   * for only by text filters and address sorts. */
  text(i: number, key: TextKey): string | null;
  localPort(i: number): number | null;
  remotePort(i: number): number | null;
  inode(i: number): number;
  /** Row i as sent: a new object the caller may keep (the source changes in place after the answer). */
  row(i: number): Connection;
}

/** Every filter but the state one (the state chips count over this). */
function matchesBut(t: ConnectionTable, i: number, q: ConnectionQuery, text: string): boolean {
  if (q.pid !== null && t.number(i, 'pid') !== q.pid) return false;
  if (q.protocol !== null && t.text(i, 'protocol') !== q.protocol) return false;
  if (q.port !== null && t.localPort(i) !== q.port && t.remotePort(i) !== q.port) return false;
  if (!text) return true;
  return t.text(i, 'local')!.toLowerCase().includes(text) || (t.text(i, 'remote')?.toLowerCase().includes(text) ?? false)
    || (t.text(i, 'process')?.toLowerCase().includes(text) ?? false) || t.text(i, 'state')!.toLowerCase().includes(text)
    || String(t.number(i, 'pid') ?? '') === text;
}

/** Natural order for text: port 8080 before 50000, 10.0.0.2 before 127.0.0.1. */
const collator = new Intl.Collator('en', { numeric: true });

/**
 * Equal keys keep one order from poll to poll, so rows do not jump while the table is scrolled: by
 * local port, remote port, then inode — numbers the socket keeps for life, compared without building text.
 */
function tie(t: ConnectionTable, a: number, b: number): number {
  return (t.localPort(a) ?? -1) - (t.localPort(b) ?? -1) || (t.remotePort(a) ?? -1) - (t.remotePort(b) ?? -1) || t.inode(a) - t.inode(b);
}

// Scratch reused by every query (queries run one at a time): at 16k rows a fresh index array and its
// sort copy were large objects, and when a scavenge fell inside a query V8 promoted them to the old
// generation, which grew by ~1 MB a minute with a table open until a full GC.
let hitScratch = new Int32Array(0);
let keyScratch = new Float64Array(0);

/**
 * Filter, order (unknown values last whichever the direction), then one page of new row objects.
 * Only the page is sorted: selection puts the rows that belong on it in place in linear time.
 */
export function queryTable(t: ConnectionTable, q: ConnectionQuery, connectionsTs: number | null): ConnectionPage {
  const text = q.text.trim().toLowerCase();
  if (hitScratch.length < t.size) hitScratch = new Int32Array(Math.max(t.size, hitScratch.length * 2));
  const hits = hitScratch;
  let matched = 0;
  const states: Partial<Record<ConnectionState, number>> = {};
  for (let i = 0; i < t.size; i++) {
    if (!matchesBut(t, i, q, text)) continue;
    const st = t.text(i, 'state') as ConnectionState;
    states[st] = (states[st] ?? 0) + 1;
    if (q.state === null || st === q.state) hits[matched++] = i;
  }
  const dir = q.descending ? -1 : 1;
  // Each hit's key read once, indexed by row. The comparator returns ±1, never x - y: a fractional
  // difference is a boxed number per call.
  let order: (a: number, b: number) => number;
  if (TEXT_KEYS.has(q.sort)) {
    const key = q.sort as TextKey;
    const keys: Array<string | null> = new Array(t.size);
    for (let h = 0; h < matched; h++) keys[hits[h]!] = t.text(hits[h]!, key);
    order = (a, b) => {
      const x = keys[a]!, y = keys[b]!;
      return x === y ? 0 : x === null ? 1 : y === null ? -1 : collator.compare(x, y) * dir;
    };
  } else {
    const key = q.sort as NumberKey;
    if (keyScratch.length < t.size) keyScratch = new Float64Array(hitScratch.length);
    const keys = keyScratch; // NaN: unknown
    for (let h = 0; h < matched; h++) keys[hits[h]!] = t.number(hits[h]!, key) ?? NaN;
    order = (a, b) => {
      const x = keys[a]!, y = keys[b]!;
      if (x === y) return 0;
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
      return Number.isNaN(y) ? -1 : x < y ? -dir : dir;
    };
  }
  const cmp = (a: number, b: number) => order(a, b) || tie(t, a, b);
  const lo = Math.min(q.offset, matched), hi = Math.min(q.offset + q.limit, matched);
  const rows: Connection[] = [];
  if (hi > lo) {
    const arr = hits as unknown as number[];
    if (lo > 0) quickselect(arr, lo, 0, matched - 1, cmp);
    if (hi < matched) quickselect(arr, hi - 1, lo, matched - 1, cmp);
    hits.subarray(lo, hi).sort(cmp);
    for (let h = lo; h < hi; h++) rows.push(t.row(hits[h]!));
  }
  return { query: q, connectionsTs, total: t.size, matched, rows, states, selectedIndex: q.select ? rank(t, hits, matched, q.select, cmp) : null };
}

/**
 * Where the selected socket stands in the order: the hits that sort before it (the order is total, ties
 * broken by inode), in one pass. Inode and protocol are compared first; the endpoint texts are built only
 * for sockets with that inode.
 */
function rank(t: ConnectionTable, hits: Int32Array, matched: number, key: ConnectionKey, cmp: (a: number, b: number) => number): number | null {
  let at = -1;
  for (let h = 0; h < matched && at < 0; h++) {
    const i = hits[h]!;
    if (t.inode(i) === key.inode && t.text(i, 'protocol') === key.protocol && t.text(i, 'local') === key.local && t.text(i, 'remote') === key.remote) at = i;
  }
  if (at < 0) return null;
  let before = 0;
  for (let h = 0; h < matched; h++) if (hits[h] !== at && cmp(hits[h]!, at) < 0) before++;
  return before;
}

/** A list of rows as a table (the replay server, the dashboard's own copy, tests). */
export function rowTable(rows: readonly Connection[]): ConnectionTable {
  return {
    size: rows.length,
    number: (i, key) => rows[i]![key],
    text: (i, key) => rows[i]![key],
    localPort: (i) => portOf(rows[i]!.local),
    remotePort: (i) => portOf(rows[i]!.remote),
    inode: (i) => rows[i]!.inode,
    row: (i) => { const c = rows[i]!; return { ...c, tcp: c.tcp && { ...c.tcp } }; },
  };
}

export function queryConnections(rows: readonly Connection[], q: ConnectionQuery, connectionsTs: number | null): ConnectionPage {
  return queryTable(rowTable(rows), q, connectionsTs);
}
