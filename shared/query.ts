// A window onto the socket list: filter, sort, then one page of rows. Views never receive the whole
// list (16k rows are ~6 MB of JSON every 2 s, and cost the engine ~25 MB of RSS to serialise): the
// virtualised table asks for the rows it shows. The engine, the replay server and tests run this
// same function, so a filter means the same everywhere.
import * as z from 'zod/mini';
import { TCP_STATES, type Connection } from './contract/connections.ts';

export const CONNECTION_SORT_KEYS = [
  'process', 'pid', 'protocol', 'local', 'remote', 'state', 'rttUs', 'txBps', 'rxBps', 'bytesSent', 'bytesReceived',
] as const;
export type ConnectionSortKey = (typeof CONNECTION_SORT_KEYS)[number];

/** Most rows one answer carries; a table shows ~40 and asks for a margin around them. */
export const MAX_PAGE = 1000;

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
}

const portOf = (endpoint: string | null): number | null => {
  if (!endpoint) return null;
  const i = endpoint.lastIndexOf(':');
  const n = Number(endpoint.slice(i + 1));
  return i >= 0 && Number.isInteger(n) ? n : null;
};

function matches(c: Connection, q: ConnectionQuery, text: string): boolean {
  if (q.pid !== null && c.pid !== q.pid) return false;
  if (q.state !== null && c.state !== q.state) return false;
  if (q.protocol !== null && c.protocol !== q.protocol) return false;
  if (q.port !== null && portOf(c.local) !== q.port && portOf(c.remote) !== q.port) return false;
  if (!text) return true;
  return c.local.toLowerCase().includes(text) || (c.remote?.toLowerCase().includes(text) ?? false)
    || (c.process?.toLowerCase().includes(text) ?? false) || c.state.toLowerCase().includes(text)
    || String(c.pid ?? '') === text;
}

/** Natural order for text: port 8080 before 50000, 10.0.0.2 before 127.0.0.1. */
const collator = new Intl.Collator('en', { numeric: true });

/** Nulls (unknown pid, no RTT, no counters) sort last whichever the direction. */
function compare(a: Connection, b: Connection, key: ConnectionSortKey): number {
  const x = a[key], y = b[key];
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return typeof x === 'number' ? x - (y as number) : collator.compare(String(x), String(y));
}

export function queryConnections(rows: readonly Connection[], q: ConnectionQuery, connectionsTs: number | null): ConnectionPage {
  const text = q.text.trim().toLowerCase();
  const hits = rows.filter((c) => matches(c, q, text));
  const dir = q.descending ? -1 : 1;
  hits.sort((a, b) => {
    const c = compare(a, b, q.sort);
    if (c === 0) return a.local < b.local ? -1 : a.local > b.local ? 1 : 0; // stable across polls
    const nullish = a[q.sort] === null || b[q.sort] === null;
    return nullish ? c : c * dir;
  });
  // structuredClone-safe copies: the engine's rows are updated in place after the answer is sent.
  const page = hits.slice(q.offset, q.offset + q.limit).map((c) => ({ ...c, tcp: c.tcp && { ...c.tcp } }));
  return { query: q, connectionsTs, total: rows.length, matched: hits.length, rows: page };
}
