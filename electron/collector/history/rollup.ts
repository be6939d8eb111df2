// How usage rows are stored and rolled up. A row's one integer id is (minute << 32) | key — the minute
// of its bucket start (epoch ms / 60 000; every bucket starts on a whole minute in every zone of today's
// tz database) and the id of its (app, interface, host, service) in `dims` — so a row is an entry of a
// rowid B-tree, SQLite's cheapest, and a range of time is a range of ids. Measured on 10,000 rows:
// 8.4 ms one statement per row, 3.4 ms 256 rows per statement; text keys in a WITHOUT ROWID table 10 ms.
//
// Where a byte is (journal.ts for the journals): a flush appends it to the 5-minute journal. Once its
// bucket has closed, it is folded into a 5-minute row and into the hourly journal; once its hour is
// complete, the hourly journal's entries become hourly rows; a closed hour's rows are added into its day,
// a closed day's into its month. `marks` say how far, to the key: marks['5m'], the 5-minute journal's
// entries before it are 5-minute rows; marks['1h'], the hourly journal's entries before it are hourly rows
// (and the hours before it are complete); marks['1d'] and ['1mo'], the finer rows before it are counted
// in that table. Queries add what lies past the marks (query.ts), so every answer counts each byte once.
// Every key of a bucket is written twice on its way (its 5-minute row, its hour's row once an hour), not
// three times (5-minute row, and its hour's row added to at every bucket). Each flush does at most
// ROLL_BUDGET rows of this work, so none pays for a whole bucket, hour or day at once; a level that
// falls behind catches up in one go.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { bucketStart, nextBucket, type Resolution } from './buckets.ts';
import { before, type Journal, type Mark } from './journal.ts';

export type Coarse = Exclude<Resolution, '5m'>;
export type Marks = Record<Resolution, Mark>;
export const COARSER: Record<Resolution, Coarse | null> = { '5m': '1h', '1h': '1d', '1d': '1mo', '1mo': null };
/** The table of one resolution (usage_5m and friends are views over them with the keys spelled out). */
export const table = (r: Resolution) => `u${r}`;
/** First minute at or after `ms`: an id bound (minute << 32). */
export const minuteOf = (ms: number) => Math.ceil(ms / 60_000);
export const ADD = 'ON CONFLICT DO UPDATE SET rx = rx + excluded.rx, tx = tx + excluded.tx';
/** Rows per statement: 256 (then 16, then 1 for the rest); fewer calls across the JS/C boundary. */
const SIZES = [256, 16, 1];
/**
 * Roll-up work per flush, in table rows; an entry appended to a journal counts half a row (it costs
 * about that: 0.15 µs against 0.35, measured). With 200 apps × 50 hosts (10,000 keys) an hour takes
 * 140,000 rows (12 buckets' 5-minute rows, the hour's rows, their day's) and a flush inside a bucket has
 * 4,000 left — 192,000 an hour, room to spare — while the one after a boundary, which appends two
 * buckets, has none (bench/history.bench.ts).
 */
export const ROLL_BUDGET = 9_000;

/** How often the engine flushes (history-tier.ts): work is paced to be done by its deadline, a share a flush. */
export const PACE_MS = 60_000;
/** Rows below which paced work is done at once (about 0.1 ms). */
const MIN_SLICE = 250;

/**
 * Flushes from `now` (this one included) before `deadline`, a minute apart, leaving out those in the first
 * minute of a 5-minute bucket: they carry both buckets' entries and so have no budget left.
 */
function flushesBefore(now: number, deadline: number): number {
  if (deadline - now > 900_000) return Math.max(1, Math.floor(((deadline - now) / PACE_MS) * 0.8)); // an hour's or a day's: four in five
  let n = 1;
  for (let t = now + PACE_MS; t < deadline; t += PACE_MS) if (t - bucketStart(t, '5m') >= PACE_MS) n++;
  return n;
}

/**
 * A bucket is folded 2 minutes after it closes: the flush right after a boundary still carries the
 * windows straddling it, and windows reported late still find their bucket in the journal.
 */
export const ROLL_DELAY_MS = 120_000;

/** Rows to add, per table: [minute, key, rx, tx] flattened. */
export type Batch = Partial<Record<Resolution, number[]>>;

export class Rows {
  #db: DatabaseSync;
  #add = new Map<string, StatementSync>();
  #roll = new Map<string, StatementSync>();
  #at = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) { this.#db = db; }

  /**
   * Adds one row of bytes at bucket `ts` of `res` (hourly or coarser: a marks[up] is a position among
   * these rows), and to every coarser table already rolled past it.
   */
  push(batch: Batch, res: Coarse, ts: number, key: number, rx: number, tx: number, marks: Marks): void {
    for (let r: Coarse | null = res, at = ts; r;) {
      (batch[r] ??= []).push(Math.floor(at / 60_000), key, rx, tx);
      const up: Coarse | null = COARSER[r];
      if (!up || !before(at, key, marks[up])) break;
      at = bucketStart(at, up);
      r = up;
    }
  }

  write(batch: Batch): void {
    for (const [r, flat] of Object.entries(batch) as Array<[Resolution, number[]]>) insertMany(this.#db, this.#add, table(r), flat, ADD);
  }

  /**
   * Folds and rolls up what closed ROLL_DELAY_MS before `now`, within ROLL_BUDGET less half the entries
   * appended to the 5-minute journal (more where a level is behind); returns the new marks. Entries that
   * move on leave the journals' memory; the caller deletes the journal rows the marks have passed and,
   * should the transaction fail, reloads both journals.
   */
  rollUp(now: number, marks: Marks, j5: Journal, j1h: Journal, hourly: StatementSync, appended = 0): Marks {
    const m = { ...marks };
    let left = ROLL_BUDGET - appended / 2;
    // A level's share of what it has to do before its next bucket is due (one flush a minute), and
    // never less than MIN_SLICE: small work is done at once.
    const share = (n: number, deadline: number) => Math.max(MIN_SLICE, Math.ceil(n / flushesBefore(now, deadline)));
    // 5-minute journal → 5-minute rows and the hourly journal (an hour rolled already, after the clock
    // was set back: its rows directly); a 5-minute entry costs its row and its hourly journal entry.
    left = this.#drain(j5, bucketStart(now - ROLL_DELAY_MS, '5m'), m, left, 1.5, share, (b, flat) => {
      insertMany(this.#db, this.#add, table('5m'), flat, ADD, b / 60_000);
      this.#toHour(bucketStart(b, '1h'), flat, m, j1h, hourly);
    });
    // Hourly journal → hourly rows, for the hours whose every bucket is folded.
    left = this.#drain(j1h, bucketStart(m['5m'].ts, '1h'), m, left, 1, share, (h, flat) => this.#rowsAt('1h', h, flat, m));
    // The hours before the hourly mark are complete; the days before the daily mark's day.
    for (const src of ['1h', '1d'] as const) {
      if (left <= 0) break;
      const limit = src === '1h' ? m['1h'].ts : bucketStart(m['1d'].ts, '1d'); // as the level before left it
      const due = nextBucket(limit, src) + ROLL_DELAY_MS;
      left -= this.rollLevel(src, limit, m, Math.min(left, share(this.#pending(src, limit, m), due)));
    }
    return m;
  }

  /**
   * Moves journal `j`'s entries of buckets before `limit` on, a bucket after another from marks[j.level],
   * through `write`: this flush's share of each (`share` of what is left before the next bucket of the
   * level is due), at `cost` rows an entry within `left`, or all of it where the level is behind. Returns
   * what is left of the budget.
   */
  #drain(j: Journal, limit: number, m: Marks, left: number, cost: number, share: (n: number, deadline: number) => number,
    write: (ts: number, flat: number[]) => void): number {
    const level = j.level;
    while (m[level].ts < limit) {
      const b = j.first(limit);
      if (b === null) { m[level] = { ts: limit, key: 0 }; break; }
      const behind = b < bucketStart(limit - 1, level); // an older bucket than the last one due
      if (left <= 0 && !behind) { if (b > m[level].ts) m[level] = { ts: b, key: 0 }; break; }
      const due = nextBucket(nextBucket(b, level), level) + ROLL_DELAY_MS; // when the next bucket of the level is due
      const { flat, next } = j.take(b, behind ? Infinity : Math.min(Math.ceil(left / cost), share(j.count(b), due)));
      write(b, flat);
      if (!behind) left -= (flat.length / 3) * cost; // catching up is on top of the budget
      m[level] = next === null ? { ts: nextBucket(b, level), key: 0 } : { ts: b, key: next };
      if (next !== null) break; // this flush's share is done
    }
    return left;
  }

  /**
   * Entries ([key, rx, tx]) of a 5-minute bucket the journal has moved past (a window reported late, the
   * clock set back): its 5-minute rows, and its hour's part.
   */
  late(ts: number, flat: readonly number[], m: Marks, j1h: Journal, hourly: StatementSync): void {
    insertMany(this.#db, this.#add, table('5m'), flat, ADD, ts / 60_000);
    this.#toHour(bucketStart(ts, '1h'), flat, m, j1h, hourly);
  }

  /** Entries of bucket-start `hour`: into the hourly journal, or its rows where that hour has moved on (per key). */
  #toHour(hour: number, flat: readonly number[], m: Marks, j1h: Journal, hourly: StatementSync): void {
    if (flat.length === 0) return;
    if (hour > m['1h'].ts || (hour === m['1h'].ts && m['1h'].key === 0)) { j1h.append(hourly, hour, flat); return; }
    const later: number[] = [];
    const done: number[] = [];
    for (let i = 0; i < flat.length; i += 3) (before(hour, flat[i]!, m['1h']) ? done : later).push(flat[i]!, flat[i + 1]!, flat[i + 2]!);
    if (later.length) j1h.append(hourly, hour, later);
    this.#rowsAt('1h', hour, done, m);
  }

  /** Rows of one bucket ([key, rx, tx]), and on up where that bucket is counted further up already (push). */
  #rowsAt(res: Coarse, ts: number, flat: readonly number[], m: Marks): void {
    if (flat.length === 0) return;
    const up = COARSER[res];
    if (!up || ts > m[up].ts || (ts === m[up].ts && m[up].key === 0)) { insertMany(this.#db, this.#add, table(res), flat, ADD, ts / 60_000); return; }
    const batch: Batch = {};
    for (let i = 0; i < flat.length; i += 3) this.push(batch, res, ts, flat[i]!, flat[i + 1]!, flat[i + 2]!, m);
    this.write(batch);
  }

  /**
   * Rolls rows of `src` from marks[coarser] up to `limit` (ms, a bucket start) into the coarser table, at
   * most `budget` rows unless more than one bucket of `src` waits; returns the rows of the budget used.
   */
  rollLevel(src: Resolution, limit: number, m: Marks, budget: number): number {
    const dst = COARSER[src]!;
    const behind = m[dst].ts < bucketStart(limit - 1, src);
    // The first row at or past a mark, `?4` rows on (a slice's end), before minute ?3.
    const at = this.#stmt(this.#at, src, () => `SELECT id >> 32 AS m, id & 4294967295 AS k FROM ${table(src)}
      WHERE id >= ((?1 << 32) | ?2) AND id < (?3 << 32) ORDER BY id LIMIT 1 OFFSET ?4`);
    let used = 0;
    while (m[dst].ts < limit && (used < budget || behind)) {
      const f = at.get(m[dst].ts / 60_000, m[dst].key, minuteOf(limit), 0) as { m: number; k: number } | undefined;
      if (!f) { m[dst] = { ts: limit, key: 0 }; break; }
      const t = f.m * 60_000;
      const end = Math.min(nextBucket(t, dst), limit); // one coarser bucket per statement
      const e = behind || !Number.isFinite(budget) ? undefined : at.get(f.m, f.k, minuteOf(end), Math.max(1, Math.floor(budget - used))) as { m: number; k: number } | undefined;
      const to: Mark = e ? { ts: e.m * 60_000, key: e.k } : { ts: end, key: 0 };
      // Into the coarser bucket, and on up while that one is already counted further up (after a
      // migration from schema 1, whose marks start past each table's own last bucket). A mark never
      // stops inside a bucket a finer level still rolls into, so the bucket decides, not the key.
      for (let r: Coarse | null = dst, into = bucketStart(t, dst); r;) {
        const n = this.#stmt(this.#roll, `${src}:${r}`, () => `INSERT INTO ${table(r!)} (id, rx, tx) SELECT (?1 << 32) | (id & 4294967295), rx, tx
          FROM ${table(src)} WHERE id >= ((?2 << 32) | ?3) AND id < ((?4 << 32) | ?5) ${ADD}`).run(into / 60_000, f.m, f.k, to.ts / 60_000, to.key).changes;
        if (r === dst && !behind) used += Number(n);
        const up: Coarse | null = COARSER[r];
        if (!up || into >= m[up].ts) break;
        into = bucketStart(into, up);
        r = up;
      }
      m[dst] = to;
    }
    return used;
  }

  /** Rows of `src` from its coarser mark up to `limit`: what its roll has left to do. */
  #pending(src: Coarse, limit: number, m: Marks): number {
    const mark = m[COARSER[src]!];
    if (mark.ts >= limit) return 0;
    const st = this.#stmt(this.#at, `${src}:n`, () => `SELECT count(*) AS n FROM ${table(src)} WHERE id >= ((?1 << 32) | ?2) AND id < (?3 << 32)`);
    return (st.get(mark.ts / 60_000, mark.key, minuteOf(limit)) as { n: number }).n;
  }

  #stmt(cache: Map<string, StatementSync>, key: string, sql: () => string): StatementSync {
    let st = cache.get(key);
    if (!st) cache.set(key, (st = this.#db.prepare(sql())));
    return st;
  }
}

/**
 * Inserts rows into `into`, 256 per statement; `tail` is the conflict clause. `flat` is [minute, key, rx,
 * tx] repeated, or [key, rx, tx] when all share `minute` (bound once: a quarter fewer values to bind).
 */
export function insertMany(db: DatabaseSync, cache: Map<string, StatementSync>, into: string, flat: readonly number[], tail: string, minute?: number): void {
  const w = minute === undefined ? 4 : 3;
  const n = flat.length / w;
  let i = 0;
  for (const size of SIZES) {
    const key = `${into}:${size}:${w}`;
    let st = cache.get(key);
    if (!st) cache.set(key, (st = db.prepare(`INSERT INTO ${into} (id, rx, tx) VALUES ${Array(size).fill(w === 4 ? '((? << 32) | ?, ?, ?)' : '((?1 << 32) | ?, ?, ?)').join(', ')} ${tail}`)));
    for (; n - i >= size; i += size) {
      if (minute === undefined) st.run(...flat.slice(i * w, (i + size) * w));
      else st.run(minute, ...flat.slice(i * w, (i + size) * w));
    }
  }
}

export function readMarks(db: DatabaseSync): Marks {
  const m: Marks = { '5m': { ts: 0, key: 0 }, '1h': { ts: 0, key: 0 }, '1d': { ts: 0, key: 0 }, '1mo': { ts: 0, key: 0 } };
  for (const r of db.prepare('SELECT res, ts, key FROM marks').all() as Array<{ res: Resolution; ts: number; key: number }>) m[r.res] = { ts: r.ts, key: r.key };
  return m;
}

const saveStmt = new WeakMap<DatabaseSync, StatementSync>();
export function saveMarks(db: DatabaseSync, m: Marks): void {
  let st = saveStmt.get(db);
  if (!st) saveStmt.set(db, (st = db.prepare('INSERT INTO marks (res, ts, key) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET ts = excluded.ts, key = excluded.key')));
  for (const [r, x] of Object.entries(m)) st.run(r, x.ts, x.key);
}

export const sameMarks = (a: Marks, b: Marks) => (['5m', '1h', '1d', '1mo'] as const).every((r) => a[r].ts === b[r].ts && a[r].key === b[r].key);
