// `netwatch usage`: what used the network today, this week, this month — read from the history
// database beside a running engine (WAL readers never block the writer), as vnstat reads its own.
import { parseArgs } from 'node:util';
import { formatBytes, USAGE_DIMENSIONS, type UsageBy } from '../../shared/index.ts';
import { HistoryStore } from './history/store.ts';
import { bucketStart } from './history/buckets.ts';
import { usage } from './history/query.ts';
import { defaultHistoryPath } from './history/paths.ts';
import { csvHeader, csvRow } from './export/csv.ts';
import { USAGE_TOTALS } from './export/records.ts';

export const USAGE_HELP = `  netwatch usage [--today | --month | --since 7d] [--by app|interface|host|service] [--top N]
                [--include-loopback] [--json | --csv] [--db FILE]   totals from the usage history
                (--csv: RFC 4180 on stdout, header once, formula cells neutralised)`;

/** `7d`, `24h`, `90m` → ms; null for anything else. */
export function parseSince(text: string): number | null {
  const m = /^(\d{1,5})([mhd])$/.exec(text);
  return m ? Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'] : null;
}

export function usageCommand(argv: string[], now = Date.now()): number {
  let v;
  try {
    v = parseArgs({
      args: argv, strict: true, allowPositionals: false, options: {
        today: { type: 'boolean' }, month: { type: 'boolean' }, since: { type: 'string' }, by: { type: 'string' }, top: { type: 'string' },
        'include-loopback': { type: 'boolean' }, json: { type: 'boolean' }, csv: { type: 'boolean' }, db: { type: 'string' },
      },
    }).values;
  } catch (e) { console.error(`netwatch usage: ${(e as Error).message.split('. ')[0]}\n${USAGE_HELP}`); return 2; }
  if (v.json && v.csv) { console.error('netwatch usage: --json and --csv: choose one'); return 2; }
  const by = (v.by ?? 'app') as UsageBy;
  if (!(USAGE_DIMENSIONS as readonly string[]).includes(by)) { console.error(`netwatch usage: --by takes ${USAGE_DIMENSIONS.join(', ')}`); return 2; }
  const top = v.top === undefined ? 20 : Number(v.top);
  if (!Number.isInteger(top) || top < 1 || top > 1000) { console.error('netwatch usage: --top takes 1–1000'); return 2; }
  let from: number, label: string;
  if (v.since !== undefined) {
    const ms = parseSince(v.since);
    if (ms === null) { console.error('netwatch usage: --since takes a span such as 90m, 24h or 7d'); return 2; }
    from = now - ms; label = `last ${v.since}`;
  } else if (v.month) { from = bucketStart(now, '1mo'); label = 'this month'; } else { from = bucketStart(now, '1d'); label = 'today'; }
  const file = v.db ?? defaultHistoryPath();
  const r = HistoryStore.openReadOnly(file);
  if (!r.ok) { console.error(`netwatch usage: ${r.reason}`); return 1; }
  try {
    const a = usage(r.store, { from, to: now, by, includeLoopback: v['include-loopback'] === true, limit: top }, now);
    if (v.json) { process.stdout.write(JSON.stringify({ from, to: now, by, ...a }) + '\n'); return 0; }
    if (v.csv) {
      const rows = a.rows.map((x) => csvRow(USAGE_TOTALS, { from, to: now, by, key: x.key, name: x.name, rx_bytes: x.rxBytes, tx_bytes: x.txBytes }));
      process.stdout.write(csvHeader(USAGE_TOTALS) + rows.join(''));
      return 0;
    }
    const lines = [`${label} (since ${new Date(from).toLocaleString()}), by ${by}${by === 'app' && !v['include-loopback'] ? ', loopback left out' : ''}:`];
    const w = Math.min(48, Math.max(8, ...a.rows.map((x) => x.name.length)));
    lines.push(`  ${'name'.padEnd(w)}  ${'received'.padStart(10)}  ${'sent'.padStart(10)}`);
    for (const x of a.rows) lines.push(`  ${x.name.slice(0, w).padEnd(w)}  ${formatBytes(x.rxBytes).padStart(10)}  ${formatBytes(x.txBytes).padStart(10)}`);
    lines.push(`  ${'total'.padEnd(w)}  ${formatBytes(a.total.rxBytes).padStart(10)}  ${formatBytes(a.total.txBytes).padStart(10)}`);
    if (a.rows.length === 0) lines.push('  (nothing recorded in this range yet: the engine flushes once a minute)');
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally { r.store.close(); }
}
