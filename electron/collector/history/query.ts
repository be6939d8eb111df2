// Questions to the usage history: totals by app, interface, host or service over a range, and time
// series at a fitting resolution. Each reads the coarsest table whose buckets fit the range exactly,
// plus the finer rows not rolled up into it yet (rollup.ts).
import { FINE_MS, FINE_RESOLUTION, type Resolution, type UsageAnswer, type UsageBy, type UsageQuery, type UsageRow, type UsageSeries, type UsageTotals } from '../../../shared/index.ts';
import { RESOLUTIONS, bucketStart, nextBucket, DEFAULT_RETENTION, type Retention } from './buckets.ts';
import { minuteOf, table, type Coarse } from './rollup.ts';
import type { HistoryStore } from './store.ts';
import type { IconCache } from './icons.ts';

/** For each resolution, the finer tables and the mark past which their rows are not in it yet. */
const FINER: Record<Resolution, Array<[Resolution, Coarse]>> = {
  '5m': [], '1h': [], '1d': [['1h', '1d']], '1mo': [['1d', '1mo'], ['1h', '1d']],
};

/**
 * Rows (id, rx, tx) of `res` over [from, to) with the finer ones not rolled into it yet and the journals
 * (rollup.ts: where a byte is), joined to their keys as `d` (app, iface, host, service). Parameters ?1,
 * ?2: the first and the end minute. Run it inside store.snapshot().
 */
function source(store: HistoryStore, res: Resolution, from: number, to: number): { sql: string; params: [number, number] } {
  const marks = store.marks();
  const lo = minuteOf(bucketStart(from, res));
  const range = 'id >= (?1 << 32) AND id < (?2 << 32)';
  const parts = [`SELECT id, rx, tx FROM ${table(res)} WHERE ${range}`];
  for (const [f, mark] of FINER[res]) {
    const m = marks[mark];
    const first = m.ts / 60_000 >= lo ? `((${m.ts / 60_000} << 32) | ${m.key})` : `(${lo} << 32)`;
    parts.push(`SELECT id, rx, tx FROM ${table(f)} WHERE id >= ${first} AND id < (?2 << 32)`);
  }
  // The 5-minute journal holds bytes no table has yet; the hourly one, bytes the 5-minute rows have and
  // the coarser tables not yet.
  const journals = store.journalTables();
  parts.push(`SELECT id, rx, tx FROM ${journals['5m']} WHERE ${range}`);
  if (res !== '5m') parts.push(`SELECT id, rx, tx FROM ${journals['1h']} WHERE ${range}`);
  return { sql: `(${parts.join(' UNION ALL ')}) u JOIN dims d ON d.id = (u.id & 4294967295)`, params: [lo, minuteOf(to)] };
}

const COLUMN: Record<UsageBy, string> = { app: 'app', interface: 'iface', host: 'host', service: 'service' };

/**
 * Rows of one dimension: interface rows are the interfaces' own counters (app = ''); app rows have an
 * app and iface '' (external) or 'lo' (loopback); host and service rows have theirs set.
 */
function where(by: UsageBy, includeLoopback: boolean): string {
  switch (by) {
    case 'interface': return "app = '' AND iface != ''";
    case 'app': return includeLoopback ? "app != '' AND host = '' AND service = ''" : "app != '' AND iface = '' AND host = '' AND service = ''";
    case 'host': return "host != ''";
    case 'service': return "service != ''";
  }
}

/** The coarsest resolution whose buckets start at `from` and `to` (or `to` is now or later) and whose rows are still kept. */
export function pickResolution(from: number, to: number, now: number, keep: Retention = DEFAULT_RETENTION): Resolution {
  for (const r of [...RESOLUTIONS].reverse()) {
    const kept = keep[r] === null || from >= now - keep[r]!;
    if (kept && bucketStart(from, r) === from && (to >= now || bucketStart(to, r) === to)) return r;
  }
  // No table fits exactly: the finest one still kept (its edge buckets may reach past the range).
  return RESOLUTIONS.find((r) => keep[r] === null || from >= now - keep[r]!) ?? '1mo';
}

export function usage(store: HistoryStore, q: Omit<UsageQuery, 'kind'>, now: number): UsageTotals {
  const res = pickResolution(q.from, q.to, now, store.retention());
  const col = COLUMN[q.by];
  const rows = store.snapshot(() => {
    const src = source(store, res, q.from, q.to);
    return store.db.prepare(
      `SELECT d.${col} AS key, sum(u.rx) AS rx, sum(u.tx) AS tx, a.name AS name, a.exe AS exe, a.icon AS icon
       FROM ${src.sql} LEFT JOIN apps a ON a.id = d.app AND '${col}' = 'app'
       WHERE ${where(q.by, q.includeLoopback ?? false)}
       GROUP BY d.${col} ORDER BY sum(u.rx) + sum(u.tx) DESC`,
    ).all(...src.params) as Array<{ key: string; rx: number; tx: number; name: string | null; exe: string | null; icon: string | null }>;
  });
  const out: UsageRow[] = rows.map((r) => ({ key: r.key, name: r.name ?? r.key, exe: r.exe, icon: r.icon, iconUrl: null, rxBytes: r.rx, txBytes: r.tx }));
  const total = { rxBytes: out.reduce((n, r) => n + r.rxBytes, 0), txBytes: out.reduce((n, r) => n + r.txBytes, 0) };
  const limit = q.limit ?? Infinity;
  if (out.length > limit) {
    const rest = out.splice(limit);
    out.push({ key: '', name: `${rest.length} other${rest.length === 1 ? '' : 's'}`, exe: null, icon: null, iconUrl: null, rxBytes: rest.reduce((n, r) => n + r.rxBytes, 0), txBytes: rest.reduce((n, r) => n + r.txBytes, 0) });
  }
  return { kind: 'totals', resolution: res, rows: out, total };
}

/** A resolution that gives a readable chart for the range: about 12 to 400 bars. */
export function seriesResolution(from: number, to: number): Resolution {
  const span = to - from;
  return span <= 86_400_000 * 2 ? (span <= 6 * 3_600_000 ? '5m' : '1h') : span <= 400 * 86_400_000 ? '1d' : '1mo';
}

/** Every bucket of the range (empty ones too, so a chart's axis has no holes), split by the dimension. */
export function series(store: HistoryStore, q: Omit<UsageQuery, 'kind'> & { resolution: Resolution }): UsageSeries {
  const col = COLUMN[q.by];
  const keys = q.keys && q.keys.length > 0 ? ` AND d.${col} IN (${q.keys.map(() => '?').join(', ')})` : '';
  const rows = store.snapshot(() => {
    const src = source(store, q.resolution, q.from, q.to);
    return store.db.prepare(
      `SELECT (u.id >> 32) * 60000 AS ts, d.${col} AS key, sum(u.rx) AS rx, sum(u.tx) AS tx FROM ${src.sql}
       WHERE ${where(q.by, q.includeLoopback ?? false)}${keys} GROUP BY 1, 2`,
    ).all(...src.params, ...(q.keys ?? [])) as Array<{ ts: number; key: string; rx: number; tx: number }>;
  });
  const byTs = new Map<number, Map<string, UsageSeries['buckets'][number]['values'][number]>>();
  for (const r of rows) {
    const ts = bucketStart(r.ts, q.resolution); // a finer row not rolled up yet: into its bucket here
    let v = byTs.get(ts);
    if (!v) byTs.set(ts, (v = new Map()));
    const had = v.get(r.key);
    if (had) { had.rxBytes += r.rx; had.txBytes += r.tx; } else v.set(r.key, { key: r.key, rxBytes: r.rx, txBytes: r.tx });
  }
  const buckets: UsageSeries['buckets'] = [];
  // At most ~2,000 buckets (a week of 5-minute rows); a wider range asks for a coarser resolution.
  for (let t = bucketStart(q.from, q.resolution); t < q.to && buckets.length < 2100; t = nextBucket(t, q.resolution)) {
    buckets.push({ ts: t, values: [...(byTs.get(t)?.values() ?? [])] });
  }
  const names: Record<string, string> = {};
  if (q.by === 'app') {
    const keys = [...new Set(rows.map((r) => r.key))];
    const get = store.db.prepare('SELECT name FROM apps WHERE id = ?');
    for (const k of keys) names[k] = (get.get(k) as { name: string } | undefined)?.name ?? k;
  }
  return { kind: 'series', resolution: q.resolution, buckets, names };
}

/** The 10-second interface buckets of [from, to) (the last hour is kept): every bucket, with a row per interface that was counted. */
export function fineSeries(store: HistoryStore, q: Pick<UsageQuery, 'from' | 'to' | 'keys'>): UsageSeries {
  const keys = q.keys && q.keys.length > 0 ? ` AND iface IN (${q.keys.map(() => '?').join(', ')})` : '';
  const start = q.from - (q.from % FINE_MS);
  const rows = store.db.prepare(`SELECT ts, iface AS key, rx, tx FROM iface_10s WHERE ts >= ? AND ts < ?${keys} ORDER BY ts`)
    .all(start, q.to, ...(q.keys ?? [])) as Array<{ ts: number; key: string; rx: number; tx: number }>;
  const byTs = new Map<number, UsageSeries['buckets'][number]['values']>();
  for (const r of rows) {
    let v = byTs.get(r.ts);
    if (!v) byTs.set(r.ts, (v = []));
    v.push({ key: r.key, rxBytes: r.rx, txBytes: r.tx });
  }
  const buckets: UsageSeries['buckets'] = [];
  for (let t = start; t < q.to && buckets.length < 2100; t += FINE_MS) buckets.push({ ts: t, values: byTs.get(t) ?? [] });
  return { kind: 'series', resolution: FINE_RESOLUTION, buckets, names: {} };
}

/** One question answered from a store (the engine's, or a recorded history's in a replay); apps' icons as images. */
export function answer(store: HistoryStore, q: UsageQuery, now: number, icons: IconCache | null = null): UsageAnswer {
  if (q.kind === 'totals') {
    const t = usage(store, q, now);
    if (icons) for (const r of t.rows) r.iconUrl = icons.url(r.icon);
    return t;
  }
  if (q.resolution === FINE_RESOLUTION) {
    return q.by === 'interface' ? fineSeries(store, q) : { kind: 'error', error: `${FINE_RESOLUTION} buckets are kept for interfaces only (by: 'interface')` };
  }
  return series(store, { ...q, resolution: q.resolution ?? seriesResolution(q.from, q.to) });
}
