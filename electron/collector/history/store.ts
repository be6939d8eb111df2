// The usage history database (node:sqlite, built into Node 24 and Electron's Node: no native module).
// One table per resolution (buckets.ts) and a journal of the buckets not folded into them yet
// (journal.ts). A flush appends to the journal and folds and rolls closed buckets up in the same
// transaction (rollup.ts), so the tables always agree with each other. WAL with synchronous=NORMAL: a
// killed engine loses at most what it had not flushed (the last minute).
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { DEFAULT_RETENTION, RESOLUTIONS, bucketStart, type Resolution, type Retention } from './buckets.ts';
import { FINE_KEEP_MS } from '../../../shared/index.ts';
import { ADD, COARSER, Rows, insertMany, readMarks, sameMarks, saveMarks, table, type Marks } from './rollup.ts';
import { Journal, before } from './journal.ts';
import { MIGRATIONS } from './migrations.ts';
import { Checkpointer } from './checkpointer.ts';

/** 'NWHS' — PRAGMA application_id, so a foreign SQLite file at our path is told from ours. */
const APP_ID = 0x4e574853;
/** Keys cached per writer; beyond, the cache starts again (the dims table has them all). */
const MAX_KEYS = 200_000;
/** An app's identity is written when it changes, and its last_seen at most hourly. */
const APP_SEEN_MS = 3_600_000;

/**
 * Bytes of one bucket and set of dimensions: app id, interface, remote host, service ('' = any). `ref`,
 * when the caller keeps one per key across flushes, lets the store skip looking the key up again.
 */
export interface UsageDelta { ts: number; app: string; iface: string; host: string; service: string; rx: number; tx: number; ref?: KeyRef }
/** The store's id for a key, stamped by the store that gave it (another store, or one rolled back since, looks it up again). */
export interface KeyRef { id?: number; owner?: object }
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
  /**
   * app → the rest of the key → dims id, for the writer. The rest is the host alone for host rows (no
   * string built per row) and the three joined by tabs otherwise (no host holds a tab). Measured on
   * 10,000 host rows: 1.0–1.5 ms, against 2–2.9 ms for one map per dimension and more for joined keys.
   */
  #keys = new Map<string, Map<string, number>>();
  #keyCount = 0;
  /** What KeyRefs this store stamped carry; replaced when a transaction rolls back (its new ids are gone). */
  #owner: object = {};
  /** App id → what was last written of it: identity and the hour of last_seen. */
  #appsWritten = new Map<string, string>();
  /** The writer's roll-up marks; a reader reads them with each question (the writer moves them). */
  #marks: Marks | null;
  /** The writer's journals in memory (what the journal table holds past marks['5m'] and marks['1h']). */
  #j5 = new Journal('5m');
  #j1h = new Journal('1h');
  #journalAdd: StatementSync;
  /** What the temporary journal tables hold (query.ts reads them): a writer's version, a reader's journal state. */
  #tempStamp = '';
  #version = 0;
  #temp = new Map<string, StatementSync>();
  /** The writer's WAL checkpoints, on a worker thread (checkpointer.ts). */
  readonly checkpointer: Checkpointer | null;

  private constructor(file: string, db: DatabaseSync, lock: string | null) {
    this.path = file;
    this.#db = db;
    this.#lock = lock;
    this.#rows = new Rows(db);
    this.#marks = lock ? readMarks(db) : null;
    if (this.#marks) this.#loadJournals(this.#marks);
    this.#journalAdd = db.prepare('INSERT INTO journal (res, ts, data) VALUES (?, ?, ?)');
    this.checkpointer = lock ? new Checkpointer(db, file) : null;
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
        // First: a checkpoint worker of the writer before (closing, it checkpoints the WAL) holds locks for a moment.
        db.exec('PRAGMA busy_timeout = 2000');
        const why = foreignOrCorrupt(db);
        if (why) throw new Error(why);
        db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
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
      db.exec('PRAGMA busy_timeout = 2000');
      const why = foreignOrCorrupt(db) ?? schemaBehind(db);
      if (why) { db.close(); return { ok: false, reason: `${file}: ${why}` }; }
      return { ok: true, store: new HistoryStore(file, db, null) };
    } catch (e) { return { ok: false, reason: `${file}: ${errText(e)}` }; }
  }

  /**
   * Adds deltas (5-minute bucket starts) to the journal — or, for a bucket folded already (a late
   * window, the clock set back), to the tables — 10-second interface rows (kept an hour) and app names,
   * and folds and rolls up what has closed as of `now`, in one transaction.
   */
  write(deltas: readonly UsageDelta[], apps: readonly AppName[], now: number, fine: readonly FineDelta[] = []): void {
    const marks = this.marks();
    this.#db.exec('BEGIN IMMEDIATE');
    const appsWritten: Array<[string, string]> = [];
    try {
      const fresh = new Map<number, number[]>(); // bucket start → [key, rx, tx] flattened
      const late = new Map<number, number[]>(); // the same, for buckets the journal has moved past
      let lastTs = Number.NaN;
      let last: number[] = [];
      for (const d of deltas) {
        if (d.rx === 0 && d.tx === 0) continue;
        const key = this.#keyOf(d);
        if (before(d.ts, key, marks['5m'])) {
          let f = late.get(d.ts);
          if (!f) late.set(d.ts, (f = []));
          f.push(key, d.rx, d.tx);
          continue;
        }
        if (d.ts !== lastTs) { // rows come a bucket at a time, mostly
          lastTs = d.ts;
          let f = fresh.get(d.ts);
          if (!f) fresh.set(d.ts, (f = []));
          last = f;
        }
        last.push(key, d.rx, d.tx);
      }
      let appended = 0;
      for (const [ts, f] of fresh) { this.#j5.append(this.#journalAdd, ts, f); appended += f.length / 3; }
      for (const [ts, f] of late) this.#rows.late(ts, f, marks, this.#j1h, this.#journalAdd);
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
      const rolled = this.#rows.rollUp(now, marks, this.#j5, this.#j1h, this.#journalAdd, appended);
      if (!sameMarks(rolled, marks)) {
        saveMarks(this.#db, rolled);
        for (const r of ['5m', '1h'] as const) {
          if (rolled[r].ts > marks[r].ts) this.#db.prepare('DELETE FROM journal WHERE res = ? AND ts < ?').run(r, rolled[r].ts);
        }
      }
      this.#db.exec('COMMIT');
      this.checkpointer?.request();
      this.#marks = rolled;
      this.#version++;
      for (const [id, seen] of appsWritten) this.#appsWritten.set(id, seen);
    } catch (e) {
      // SQLite rolls back by itself on some errors (SQLITE_FULL): the original error is the one to tell.
      try { this.#db.exec('ROLLBACK'); } catch { /* no transaction left */ }
      this.#keys.clear(); this.#keyCount = 0; this.#owner = {}; // ids handed out in the rolled-back transaction are gone
      this.#loadJournals(marks); // as the table is again
      this.#version++;
      throw e;
    }
  }

  /**
   * Runs a question against one state of the database: a reader's in one read transaction, so the marks,
   * the journal and the tables it adds up are of the same moment (the writer moves them at each flush).
   */
  snapshot<T>(fn: () => T): T {
    if (this.#lock) return fn();
    this.#db.exec('BEGIN');
    try { return fn(); } finally { this.#db.exec('COMMIT'); }
  }

  /**
   * The journals' entries as rows (id, rx, tx) of two temporary tables, for queries (query.ts): the
   * writer's from memory, a reader's decoded from the journal table. Refilled when the journals changed.
   */
  journalTables(): Record<'5m' | '1h', string> {
    const marks = this.marks();
    const stamp = this.#lock ? `w${this.#version}` : JSON.stringify([this.#db.prepare('SELECT max(seq) AS s, count(*) AS n FROM journal').get(), marks['5m'], marks['1h']]);
    if (stamp !== this.#tempStamp) {
      for (const j of this.#lock ? [this.#j5, this.#j1h] : [Journal.load(this.#db, '5m', marks['5m']), Journal.load(this.#db, '1h', marks['1h'])]) {
        const t = `temp.nw_journal_${j.level}`;
        this.#db.exec(`CREATE TEMP TABLE IF NOT EXISTS nw_journal_${j.level} (id INTEGER PRIMARY KEY, rx INTEGER NOT NULL, tx INTEGER NOT NULL); DELETE FROM ${t}`);
        const flat: number[] = [];
        for (const [ts, key, rx, tx] of j.entries()) flat.push(ts / 60_000, key, rx, tx);
        insertMany(this.#db, this.#temp, t, flat, '');
      }
      this.#tempStamp = stamp;
    }
    return { '5m': 'temp.nw_journal_5m', '1h': 'temp.nw_journal_1h' };
  }

  #loadJournals(marks: Marks): void {
    this.#j5 = Journal.load(this.#db, '5m', marks['5m']);
    this.#j1h = Journal.load(this.#db, '1h', marks['1h']);
  }

  /** The retention the writer last pruned by (the default until it has). */
  retention(): Retention {
    const row = this.#db.prepare("SELECT value FROM meta WHERE name = 'retention'").get() as { value: string } | undefined;
    return row ? JSON.parse(row.value) as Retention : DEFAULT_RETENTION;
  }

  /** How far the coarser tables have rolled up (query.ts adds the finer rows past these). */
  marks(): Marks { return this.#marks ?? readMarks(this.#db); }

  #keyOf(d: UsageDelta): number {
    const ref = d.ref;
    if (ref && ref.owner === this.#owner) return ref.id!;
    const rest = d.iface === '' && d.service === '' ? d.host : `${d.iface}\t${d.host}\t${d.service}`;
    let id = this.#keys.get(d.app)?.get(rest);
    if (id === undefined) {
      this.#key ??= this.#db.prepare('INSERT INTO dims (app, iface, host, service) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET app = excluded.app RETURNING id');
      id = (this.#key.get(d.app, d.iface, d.host, d.service) as { id: number }).id;
      if (++this.#keyCount > MAX_KEYS) { this.#keys.clear(); this.#keyCount = 1; }
      let byApp = this.#keys.get(d.app);
      if (!byApp) this.#keys.set(d.app, (byApp = new Map()));
      byApp.set(rest, id);
    }
    if (ref) { ref.id = id; ref.owner = this.#owner; }
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
      // 5-minute rows may go whenever: their hours are made from the hourly journal. Hourly and daily
      // rows wait until they are counted in the day or month.
      const up = r === '5m' ? null : COARSER[r];
      const cut = Math.min(bucketStart(now - (ms ?? 0), r), up ? bucketStart(marks[up].ts, r) : Infinity);
      out[r] = ms === null ? 0 : Number(this.#db.prepare(`DELETE FROM ${table(r)} WHERE id < (? << 32)`).run(Math.ceil(cut / 60_000)).changes);
    }
    return out;
  }

  /** Raw access for queries (query.ts) and tests. */
  get db(): DatabaseSync { return this.#db; }

  close(): void {
    this.checkpointer?.stop();
    try { this.#db.close(); } catch { /* already closed */ }
    if (this.#lock) releaseLock(this.#lock);
    this.#lock = null;
  }
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
