// The usage history database (node:sqlite, built into Node 24 and Electron's Node: no native module).
// One table per resolution (buckets.ts); a flush adds 5-minute rows and rolls closed buckets up into
// the hourly, daily and monthly tables in the same transaction (rollup.ts), so those always agree with
// the 5-minute rows they sum. WAL with synchronous=NORMAL: a killed engine loses at most what it had
// not flushed (the last minute).
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { DEFAULT_RETENTION, RESOLUTIONS, bucketStart, type Resolution, type Retention } from './buckets.ts';
import { FINE_KEEP_MS } from '../../../shared/index.ts';
import { ADD, COARSER, Rows, migrateTo2, readMarks, saveMarks, table, type Batch, type Marks } from './rollup.ts';

/** 'NWHS' — PRAGMA application_id, so a foreign SQLite file at our path is told from ours. */
const APP_ID = 0x4e574853;
const MIGRATIONS: Array<string | ((db: DatabaseSync) => void)> = [
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
];
/** Keys cached per writer; beyond, the cache starts again (the dims table has them all). */
const MAX_KEYS = 200_000;
/** An app's identity is written when it changes, and its last_seen at most hourly. */
const APP_SEEN_MS = 3_600_000;

/** Bytes of one bucket and set of dimensions: app id, interface, remote host, service ('' = any). */
export interface UsageDelta { ts: number; app: string; iface: string; host: string; service: string; rx: number; tx: number }
/** Bytes of one interface in one 10-second bucket (0 rows too: idle, as opposed to not running). */
export interface FineDelta { ts: number; iface: string; rx: number; tx: number }
export interface AppName { id: string; name: string; exe: string | null; icon: string | null }
export type OpenResult = { ok: true; store: HistoryStore; notice: string | null } | { ok: false; reason: string };

/** SQLite's own words for a file that is not, or no longer, a sound database. */
const CORRUPT = /file is not a database|malformed|SQLITE_CORRUPT|SQLITE_NOTADB/i;

export class HistoryStore {
  readonly path: string;
  #db: DatabaseSync;
  #lock: string | null;
  #rows: Rows;
  #app: StatementSync;
  #key: StatementSync | null = null;
  #fine: StatementSync | null = null;
  /** app → iface → host → service → dims id, for the writer (nested: no key string built per row; 3x faster). */
  #keys: KeyTree = new Map();
  #keyCount = 0;
  /** App id → what was last written of it: identity and the hour of last_seen. */
  #appsWritten = new Map<string, string>();
  /** The writer's roll-up marks; a reader reads them with each question (the writer moves them). */
  #marks: Marks | null;

  private constructor(file: string, db: DatabaseSync, lock: string | null) {
    this.path = file;
    this.#db = db;
    this.#lock = lock;
    this.#rows = new Rows(db);
    this.#marks = lock ? readMarks(db) : null;
    this.#app = db.prepare(`INSERT INTO apps (id, name, exe, icon, last_seen) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET name = excluded.name, exe = excluded.exe, icon = excluded.icon, last_seen = excluded.last_seen`);
  }

  /**
   * Opens (or creates) the database for writing. A corrupt or foreign file is moved aside and a new
   * one started (said in `notice`); another live engine holding the lock, an unwritable folder, or a
   * full disk is a reason, never a throw.
   */
  static open(file: string, now = Date.now()): OpenResult {
    try { fs.mkdirSync(path.dirname(file), { recursive: true }); } catch (e) { return { ok: false, reason: `cannot create ${path.dirname(file)}: ${errText(e)}` }; }
    const lock = takeLock(`${file}.lock`);
    if (typeof lock === 'string') return { ok: false, reason: lock };
    let notice: string | null = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      let db: DatabaseSync | undefined;
      try {
        db = new DatabaseSync(file);
        const why = foreignOrCorrupt(db);
        if (why) throw new Error(why);
        db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 2000');
        migrate(db);
        return { ok: true, store: new HistoryStore(file, db, lock.path), notice };
      } catch (e) {
        db?.close();
        const msg = errText(e);
        if (attempt === 0 && (CORRUPT.test(msg) || msg.startsWith('foreign:'))) {
          const aside = `${file}.${msg.startsWith('foreign:') ? 'foreign' : 'corrupt'}-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
          try {
            fs.renameSync(file, aside);
            for (const x of ['-wal', '-shm']) fs.rmSync(file + x, { force: true });
          } catch (e2) { releaseLock(lock.path); return { ok: false, reason: `${file}: ${msg}; could not move it aside: ${errText(e2)}` }; }
          notice = `${file} was ${msg.startsWith('foreign:') ? 'not a NetWatch history database' : `damaged (${msg})`}: moved aside to ${aside}; a new history starts now`;
          continue;
        }
        releaseLock(lock.path);
        return { ok: false, reason: `${file}: ${msg}` };
      }
    }
    releaseLock(lock.path);
    return { ok: false, reason: `${file}: could not be started anew` };
  }

  /** A read-only view for queries beside a running engine (`netwatch usage`): WAL readers never block it. */
  static openReadOnly(file: string): { ok: true; store: HistoryStore } | { ok: false; reason: string } {
    if (!fs.existsSync(file)) return { ok: false, reason: `no history at ${file} yet (the engine writes it once a minute)` };
    try {
      const db = new DatabaseSync(file, { readOnly: true });
      const why = foreignOrCorrupt(db) ?? schemaBehind(db);
      if (why) { db.close(); return { ok: false, reason: `${file}: ${why}` }; }
      return { ok: true, store: new HistoryStore(file, db, null) };
    } catch (e) { return { ok: false, reason: `${file}: ${errText(e)}` }; }
  }

  /**
   * Adds deltas (5-minute bucket starts), 10-second interface rows (kept an hour) and app names, and
   * rolls the buckets closed as of `now` up, in one transaction.
   */
  write(deltas: readonly UsageDelta[], apps: readonly AppName[], now: number, fine: readonly FineDelta[] = []): void {
    const marks = this.marks();
    this.#db.exec('BEGIN IMMEDIATE');
    const appsWritten: Array<[string, string]> = [];
    try {
      const batch: Batch = {};
      for (const d of deltas) {
        if (d.rx === 0 && d.tx === 0) continue;
        this.#rows.push(batch, '5m', d.ts, this.#keyOf(d), d.rx, d.tx, marks);
      }
      this.#rows.write(batch);
      if (fine.length > 0) {
        this.#fine ??= this.#db.prepare(`INSERT INTO iface_10s (ts, iface, rx, tx) VALUES (?, ?, ?, ?) ${ADD}`);
        for (const f of fine) this.#fine.run(f.ts, f.iface, f.rx, f.tx);
        this.#db.prepare('DELETE FROM iface_10s WHERE ts < ?').run(now - FINE_KEEP_MS);
      }
      for (const a of apps) {
        const seen = `${a.name}\t${a.exe}\t${a.icon}\t${Math.floor(now / APP_SEEN_MS)}`;
        if (this.#appsWritten.get(a.id) === seen) continue;
        this.#app.run(a.id, a.name, a.exe, a.icon, now);
        appsWritten.push([a.id, seen]);
      }
      const rolled = this.#rows.rollUp(now, marks);
      if (rolled['1h'] !== marks['1h'] || rolled['1d'] !== marks['1d'] || rolled['1mo'] !== marks['1mo']) saveMarks(this.#db, rolled);
      this.#db.exec('COMMIT');
      this.#marks = rolled;
      for (const [id, seen] of appsWritten) this.#appsWritten.set(id, seen);
    } catch (e) {
      // SQLite rolls back by itself on some errors (SQLITE_FULL): the original error is the one to tell.
      try { this.#db.exec('ROLLBACK'); } catch { /* no transaction left */ }
      this.#keys.clear(); this.#keyCount = 0; // ids handed out in the rolled-back transaction are gone
      throw e;
    }
  }

  /** The retention the writer last pruned by (the default until it has). */
  retention(): Retention {
    const row = this.#db.prepare("SELECT value FROM meta WHERE name = 'retention'").get() as { value: string } | undefined;
    return row ? JSON.parse(row.value) as Retention : DEFAULT_RETENTION;
  }

  /** How far the coarser tables have rolled up (query.ts adds the finer rows past these). */
  marks(): Marks { return this.#marks ?? readMarks(this.#db); }

  #keyOf(d: UsageDelta): number {
    const byIface = this.#keys.get(d.app)?.get(d.iface)?.get(d.host);
    let id = byIface?.get(d.service);
    if (id === undefined) {
      this.#key ??= this.#db.prepare('INSERT INTO dims (app, iface, host, service) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET app = excluded.app RETURNING id');
      id = (this.#key.get(d.app, d.iface, d.host, d.service) as { id: number }).id;
      if (++this.#keyCount > MAX_KEYS) { this.#keys.clear(); this.#keyCount = 1; }
      child(child(child(this.#keys, d.app), d.iface), d.host).set(d.service, id);
    }
    return id;
  }

  /**
   * Deletes rows older than the policy keeps (never rows not rolled up yet); returns how many per
   * resolution. The policy is kept in the database for readers (retention()).
   */
  prune(now: number, keep: Retention): Record<Resolution, number> {
    const out = {} as Record<Resolution, number>;
    this.#db.prepare("INSERT INTO meta (name, value) VALUES ('retention', ?) ON CONFLICT DO UPDATE SET value = excluded.value").run(JSON.stringify(keep));
    const marks = this.marks();
    for (const r of RESOLUTIONS) {
      const ms = keep[r];
      const up = COARSER[r];
      const cut = Math.min(bucketStart(now - (ms ?? 0), r), up ? marks[up] : Infinity);
      out[r] = ms === null ? 0 : Number(this.#db.prepare(`DELETE FROM ${table(r)} WHERE id < (? << 32)`).run(Math.ceil(cut / 60_000)).changes);
    }
    return out;
  }

  /** Raw access for queries (query.ts) and tests. */
  get db(): DatabaseSync { return this.#db; }

  close(): void {
    try { this.#db.close(); } catch { /* already closed */ }
    if (this.#lock) releaseLock(this.#lock);
    this.#lock = null;
  }
}

type KeyTree = Map<string, Map<string, Map<string, Map<string, number>>>>;
function child<V>(m: Map<string, Map<string, V>>, k: string): Map<string, V> {
  let c = m.get(k);
  if (!c) m.set(k, (c = new Map()));
  return c;
}

function errText(e: unknown): string {
  const x = e as NodeJS.ErrnoException & { errstr?: string };
  if (x?.code === 'EACCES' || x?.code === 'EPERM' || x?.code === 'EROFS') return `permission denied (${x.code})`;
  return x instanceof Error ? x.message : String(e);
}

/** Null when the file is an empty or NetWatch database in sound shape; else why not. */
function foreignOrCorrupt(db: DatabaseSync): string | null {
  const id = (db.prepare('PRAGMA application_id').get() as { application_id: number }).application_id;
  const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
  if (tables > 0 && id !== APP_ID) return `foreign: a SQLite file of another program (application_id ${id})`;
  const check = (db.prepare('PRAGMA quick_check').get() as { quick_check: string }).quick_check;
  return check === 'ok' ? null : `malformed: ${check}`;
}

function migrate(db: DatabaseSync): void {
  const have = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  if (have > MIGRATIONS.length) throw new Error(`history schema ${have} is newer than this NetWatch knows (${MIGRATIONS.length}): update NetWatch`);
  for (let v = have; v < MIGRATIONS.length; v++) {
    db.exec('BEGIN');
    try {
      const m = MIGRATIONS[v]!;
      if (typeof m === 'string') db.exec(m); else m(db);
      db.exec(`PRAGMA application_id = ${APP_ID}; PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (e) {
      try { db.exec('ROLLBACK'); } catch { /* rolled back already */ }
      throw new Error(`history schema ${v} → ${v + 1}: ${errText(e)}`, { cause: e });
    }
  }
}

/** A reader cannot migrate: an older schema waits for the engine (the writer) to bring it up to date. */
function schemaBehind(db: DatabaseSync): string | null {
  const have = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  if (have > MIGRATIONS.length) return `history schema ${have} is newer than this NetWatch knows (${MIGRATIONS.length}): update NetWatch`;
  return have < MIGRATIONS.length ? `history schema ${have} is older than this NetWatch's (${MIGRATIONS.length}): start the engine once to update it` : null;
}

/**
 * One writer per database: a lock file holding the writer's pid. A lock whose pid is gone (a killed
 * engine) is taken over; SQLite's own locks would also stop readers under EXCLUSIVE mode.
 */
function takeLock(file: string): { path: string } | string {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      return { path: file };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return `cannot write ${path.dirname(file)}: ${errText(e)}`;
      const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        return `in use by another NetWatch engine (pid ${pid}): one writes the history at a time; this one shows live data only`;
      }
      fs.rmSync(file, { force: true }); // stale: its writer is gone
    }
  }
  return `could not take ${file}`;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

function releaseLock(file: string): void {
  try { if (Number.parseInt(fs.readFileSync(file, 'utf8'), 10) === process.pid) fs.rmSync(file); } catch { /* gone already */ }
}
