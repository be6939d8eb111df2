// The usage history's schema, one step per version (PRAGMA user_version); store.ts runs the ones a
// database lacks, each in its own transaction.
import type { DatabaseSync } from 'node:sqlite';
import { RESOLUTIONS, bucketStart, nextBucket, type Resolution } from './buckets.ts';
import { Rows, readMarks, saveMarks, table } from './rollup.ts';

export const MIGRATIONS: Array<string | ((db: DatabaseSync) => void)> = [
  // 1: usage rows by bucket and dimensions ('' = not this dimension), and what each app id is called.
  [...RESOLUTIONS.map((r) => `CREATE TABLE usage_${r} (ts INTEGER NOT NULL, app TEXT NOT NULL, iface TEXT NOT NULL, host TEXT NOT NULL,
     service TEXT NOT NULL, rx INTEGER NOT NULL, tx INTEGER NOT NULL, PRIMARY KEY (ts, app, iface, host, service)) WITHOUT ROWID`),
  'CREATE TABLE apps (id TEXT PRIMARY KEY, name TEXT NOT NULL, exe TEXT, icon TEXT, last_seen INTEGER NOT NULL) WITHOUT ROWID',
  ].join(';\n'),
  // 2: integer keys (dims) and roll-ups of closed buckets (rollup.ts); usage_* become views.
  migrateTo2,
  // 3: 10-second interface buckets for the last hour (the interface view's 5 and 15 minute charts).
  // The retention the writer prunes by (JSON, ms), so readers pick tables that still hold the range.
  `CREATE TABLE iface_10s (ts INTEGER NOT NULL, iface TEXT NOT NULL, rx INTEGER NOT NULL, tx INTEGER NOT NULL, PRIMARY KEY (ts, iface)) WITHOUT ROWID;
   CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
  // 4: the journal of buckets not folded yet (journal.ts) and marks to the key (rollup.ts).
  migrateTo4,
];

/**
 * Schema 1 → 2: text keys in four tables that each held every byte, to integer keys and roll-ups. The
 * old tables held everything up to their last bucket, so the marks start just past each one: a write
 * into those buckets later goes to the coarser tables too (push), as schema 1 would have.
 */
function migrateTo2(db: DatabaseSync): void {
  const res: Resolution[] = ['5m', '1h', '1d', '1mo'];
  db.exec(`CREATE TABLE dims (id INTEGER PRIMARY KEY, app TEXT NOT NULL, iface TEXT NOT NULL, host TEXT NOT NULL, service TEXT NOT NULL,
      UNIQUE (app, iface, host, service));
    CREATE TABLE marks (res TEXT PRIMARY KEY, ts INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO dims (app, iface, host, service) ${res.map((r) => `SELECT app, iface, host, service FROM usage_${r}`).join(' UNION ')};`);
  const last = Object.fromEntries(res.map((r) => [r, (db.prepare(`SELECT max(ts) AS t FROM usage_${r}`).get() as { t: number | null }).t]));
  for (const r of res) {
    db.exec(`CREATE TABLE ${table(r)} (id INTEGER PRIMARY KEY, rx INTEGER NOT NULL, tx INTEGER NOT NULL);
      INSERT INTO ${table(r)} (id, rx, tx) SELECT ((u.ts / 60000) << 32) | d.id, u.rx, u.tx FROM usage_${r} u JOIN dims d USING (app, iface, host, service);
      DROP TABLE usage_${r};
      CREATE VIEW usage_${r} AS SELECT (u.id >> 32) * 60000 AS ts, d.app, d.iface, d.host, d.service, u.rx, u.tx
        FROM ${table(r)} u JOIN dims d ON d.id = (u.id & 4294967295);`);
  }
  const past = (r: Resolution) => (last[r] === null ? 0 : nextBucket(last[r]!, r));
  const st = db.prepare('INSERT INTO marks (res, ts) VALUES (?, ?)');
  for (const [r, f] of [['1h', '5m'], ['1d', '1h'], ['1mo', '1d']] as const) st.run(r, past(f));
}

/**
 * Schema 3 → 4: the journals (journal.ts) and marks to the key, for the 5-minute journal too. Schema 3
 * rolled 5-minute rows into their hour 2 minutes after the bucket closed; those not rolled yet are rolled
 * now, so the hourly table holds every 5-minute row. Bytes for those buckets later are late ones
 * (Rows.late); the rest of the current hour goes through the hourly journal and adds to its rows.
 */
function migrateTo4(db: DatabaseSync): void {
  db.exec(`CREATE TABLE journal (seq INTEGER PRIMARY KEY, res TEXT NOT NULL, ts INTEGER NOT NULL, data BLOB NOT NULL);
    ALTER TABLE marks ADD COLUMN key INTEGER NOT NULL DEFAULT 0`);
  const last = (db.prepare(`SELECT max(id) >> 32 AS m FROM ${table('5m')}`).get() as { m: number | null }).m;
  const m = readMarks(db); // m['1h'] as schema 3 kept it: the first 5-minute bucket not in the hourly table
  if (last !== null && last * 60_000 >= m['1h'].ts) new Rows(db).rollLevel('5m', nextBucket(last * 60_000, '5m'), m, Infinity);
  m['5m'] = m['1h'];
  m['1h'] = { ts: bucketStart(m['5m'].ts, '1h'), key: 0 };
  saveMarks(db, m);
}
