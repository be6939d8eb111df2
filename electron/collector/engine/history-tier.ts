// History tier: what every app and interface moved, into 5-minute buckets, flushed to the usage
// database (history/store.ts) once a minute. Totals outlive the processes that made them.
import { FINE_MS, failed, ok, quotaPeriod, unavailable, type QuotaStatus, type UsageAnswer, type UsageQuery } from '../../../shared/index.ts';
import { splitWindow, retentionMs } from '../history/buckets.ts';
import { HistoryStore, type AppName, type FineDelta, type KeyRef, type UsageDelta } from '../history/store.ts';
import { answer, usage } from '../history/query.ts';
import { PACE_MS } from '../history/rollup.ts';
import { IconCache } from '../history/icons.ts';
import type { AppDelta } from './attribution.ts';
import type { Job, TierEnv } from './tier.ts';

export const FLUSH_MS = PACE_MS; // the pace the roll-ups assume (rollup.ts)
const PRUNE_MS = 3_600_000;
/** Pending rows kept while the disk refuses them (full, read-only); beyond, the oldest are dropped and counted. */
const MAX_PENDING = 100_000;
/** A key not seen for this many flushes is forgotten (its store handle with it). */
const IDLE_FLUSHES = 10;

/**
 * One key's rows not flushed yet, one per bucket, and the store's handle for the key: kept across
 * flushes, so a flush does not look every key up again (history/store.ts KeyRef).
 */
interface PendingKey { rows: UsageDelta[]; ref: KeyRef; idle: number }
const statusText = (s: { state: string; reason?: string; message?: string }) => s.reason ?? s.message ?? s.state;

export class HistoryTier {
  #env: TierEnv;
  #path: string | null;
  #store: HistoryStore | null = null;
  /** By app, interface, host and service (tab-separated). */
  #pending = new Map<string, PendingKey>();
  #rows = 0;
  /** 10-second interface rows not flushed yet, by "ts\tiface" (bounded like #pending). */
  #pendingFine = new Map<string, FineDelta>();
  #apps = new Map<string, AppName>();
  #dropped = 0;
  /** What opening the database had to say (a file moved aside), until a flush has been written. */
  #notice: string | null = null;
  /** Interface bytes (rx + tx) not yet flushed, per interface: the part of a quota the database lacks. */
  #pendingIface = new Map<string, number>();
  /** Per quota (interface + period start): bytes in the database as of the last flush. */
  #quotaBase = new Map<string, number>();
  /** The retention (settings, days) last pruned by: the first flush and a change prune at once, not within the hour. */
  #prunedBy = '';
  #icons = new IconCache();
  readonly jobs: Job[];

  constructor(env: TierEnv, path: string | null) {
    this.#env = env;
    this.#path = path;
    env.status.set('history', path ? unavailable('not opened yet') : unavailable('history off: no database path (--db PATH)'));
    this.jobs = path ? [
      { key: 'history-flush', source: 'history', every: () => FLUSH_MS, run: async () => this.flush() },
      { key: 'history-prune', source: 'history', every: () => PRUNE_MS, run: async () => { this.prune(); } },
    ] : [];
  }

  /** Interface bytes since their previous reading (interfaces rows: app ''). */
  addInterfaces(deltas: ReadonlyMap<string, { rx: number; tx: number; fromTs: number }>, now: number): void {
    if (!this.#path) return;
    const maxWindow = this.#maxWindow();
    for (const [iface, d] of deltas) {
      this.#add(d.fromTs, now, { app: '', iface, host: '', service: '' }, d.rx, d.tx);
      // 10-second rows, 0 ones too (idle, as opposed to the engine not running).
      const rxs = splitWindow(d.fromTs, now, Math.max(0, d.rx), maxWindow, FINE_MS);
      const txs = splitWindow(d.fromTs, now, Math.max(0, d.tx), maxWindow, FINE_MS);
      rxs.forEach((part, i) => {
        const key = `${part.ts}\t${iface}`;
        let row = this.#pendingFine.get(key);
        if (!row) {
          if (this.#pendingFine.size >= MAX_PENDING) this.#pendingFine.delete(this.#pendingFine.keys().next().value!);
          this.#pendingFine.set(key, (row = { ts: part.ts, iface, rx: 0, tx: 0 }));
        }
        row.rx += part.bytes;
        row.tx += txs[i]!.bytes;
      });
      this.#pendingIface.set(iface, (this.#pendingIface.get(iface) ?? 0) + d.rx + d.tx);
    }
  }

  /** One connection poll's bytes per app over [now - windowMs, now): external and loopback rows apart. */
  addApps(deltas: readonly AppDelta[], windowMs: number, now: number): void {
    if (!this.#path || windowMs <= 0) return;
    for (const d of deltas) {
      this.#apps.set(d.app.id, { id: d.app.id, name: d.app.name, exe: d.app.exe, icon: d.app.icon });
      this.#add(now - windowMs, now, { app: d.app.id, iface: '', host: '', service: '' }, d.rx - d.loopRx, d.tx - d.loopTx);
      this.#add(now - windowMs, now, { app: d.app.id, iface: 'lo', host: '', service: '' }, d.loopRx, d.loopTx);
    }
  }

  /**
   * One connection poll's captured bytes over [now - windowMs, now) (engine/flow-accounts.ts): per app and
   * remote host (host rows), per service port (service rows). Host rows carry their app (or '' when the
   * owner is unknown) so a host's total is the sum over its rows.
   */
  addFlows(rows: ReadonlyArray<{ app: string; host: string; service: string; rx: number; tx: number }>, windowMs: number, now: number): void {
    if (!this.#path || windowMs <= 0) return;
    for (const r of rows) this.#add(now - windowMs, now, { app: r.app, iface: '', host: r.host, service: r.service }, r.rx, r.tx);
  }

  #add(from: number, to: number, dims: Omit<UsageDelta, 'ts' | 'rx' | 'tx' | 'ref'>, rx: number, tx: number): void {
    if (rx <= 0 && tx <= 0) return;
    const maxWindow = this.#maxWindow();
    const rxs = splitWindow(from, to, Math.max(0, rx), maxWindow);
    const txs = splitWindow(from, to, Math.max(0, tx), maxWindow);
    const key = `${dims.app}\t${dims.iface}\t${dims.host}\t${dims.service}`;
    let p = this.#pending.get(key);
    if (!p) this.#pending.set(key, (p = { rows: [], ref: {}, idle: 0 }));
    const rows = p.rows;
    rxs.forEach((part, i) => {
      let row = rows.find((r) => r.ts === part.ts); // one or two: the buckets since the last flush
      if (!row) {
        if (this.#rows >= MAX_PENDING) this.#dropOldest();
        rows.push((row = { ts: part.ts, ...dims, rx: 0, tx: 0, ref: p.ref }));
        this.#rows++;
      }
      row.rx += part.bytes;
      row.tx += txs[i]!.bytes;
    });
  }

  /**
   * Longest window spread over time: three of the slowest cadence. A longer one (a suspend, the clock
   * jumping forward) lands in its last bucket rather than across time nothing was measured in.
   */
  #maxWindow(): number {
    const c = this.#env.config();
    return 3 * Math.max(60_000, c.intervalMs, c.connectionsHiddenMs, c.connectionsVisibleMs);
  }

  /** Drops the oldest key's oldest row; keys left with nothing pending go (once each: no rescans under a flood). */
  #dropOldest(): void {
    for (const [key, p] of this.#pending) {
      if (p.rows.length > 0) {
        p.rows.shift();
        this.#rows--;
        this.#dropped++;
      }
      if (p.rows.length === 0) this.#pending.delete(key);
      if (this.#rows < MAX_PENDING) return;
    }
  }

  /** Keys held between flushes (with rows or idle): bounded at twice MAX_PENDING. */
  get pendingKeys(): number { return this.#pending.size; }

  #open(): HistoryStore | null {
    if (this.#store || !this.#path) return this.#store;
    const r = HistoryStore.open(this.#path, this.#env.os.now());
    if (!r.ok) { this.#env.status.set('history', unavailable(r.reason)); return null; }
    this.#store = r.store;
    this.#notice = r.notice;
    this.#env.status.set('history', r.notice ? unavailable(r.notice) : ok());
    return this.#store;
  }

  /** Writes what is pending; on failure (disk full, read-only) keeps it for the next flush. */
  flush(): void {
    const store = this.#open();
    if (!store) return;
    const empty = this.#rows === 0 && this.#apps.size === 0 && this.#pendingFine.size === 0;
    const retentionChanged = JSON.stringify(this.#env.config().historyRetention) !== this.#prunedBy;
    if (empty && !retentionChanged) return;
    try {
      if (!empty) {
        const rows: UsageDelta[] = [];
        for (const p of this.#pending.values()) for (const r of p.rows) rows.push(r);
        store.write(rows, [...this.#apps.values()], this.#env.os.now(), [...this.#pendingFine.values()]);
        // Keys with rows stay (at most MAX_PENDING), idle ones for IDLE_FLUSHES — or not at all once there
        // are more keys than that (a flood of new hosts): never more than twice MAX_PENDING keys.
        const over = this.#pending.size > MAX_PENDING;
        for (const [key, p] of this.#pending) {
          if (p.rows.length > 0) { p.rows = []; p.idle = 0; } else if (over || ++p.idle > IDLE_FLUSHES) this.#pending.delete(key);
        }
        this.#rows = 0;
        this.#pendingFine.clear();
        this.#apps.clear();
        this.#pendingIface.clear();
        this.#quotaBase.clear(); // re-read from the database at the next snapshot
      }
      if (retentionChanged) this.prune();
      // Dropped by the bound: while the database could not be written, or a flood of new keys within a minute.
      const lost = this.#dropped ? `; ${this.#dropped} rows dropped: more than ${MAX_PENDING.toLocaleString('en')} were waiting to be written` : '';
      this.#env.status.set('history', this.#notice || lost ? unavailable(`${this.#notice ?? ''}${lost}`.replace(/^; /, '')) : ok());
      this.#notice = null;
    } catch (e) {
      const msg = (e as Error).message;
      this.#env.status.set('history', failed(`${/full/i.test(msg) ? 'disk full' : 'cannot write'}: ${msg}; ${this.#rows} rows kept in memory, retried in ${FLUSH_MS / 1000} s`));
    }
  }

  /**
   * Each data plan's use in its current period: the interface rows of the database since the reset
   * (daily buckets start at local midnight, as the period does) plus what is not flushed yet.
   */
  quotas(now: number): QuotaStatus[] {
    const plans = this.#env.config().quotas;
    if (plans.length === 0) return [];
    const store = this.#path ? this.#open() : null;
    return plans.map((q) => {
      const { start, end } = quotaPeriod(q.resetDay, now);
      const base: Omit<QuotaStatus, 'usedBytes' | 'pct' | 'unavailable'> = { ...q, periodStart: start, periodEnd: end };
      if (!store) return { ...base, usedBytes: 0, pct: 0, unavailable: this.#path ? 'the usage history is unavailable (see Sources)' : 'no usage history kept (--db PATH)' };
      const key = `${q.interface}\t${start}`;
      let inDb = this.#quotaBase.get(key);
      if (inDb === undefined) {
        const row = usage(store, { from: start, to: end, by: 'interface' }, now).rows.find((r) => r.key === q.interface);
        inDb = row ? row.rxBytes + row.txBytes : 0;
        this.#quotaBase.set(key, inDb);
      }
      const used = inDb + (this.#pendingIface.get(q.interface) ?? 0);
      return { ...base, usedBytes: used, pct: (used / q.limitBytes) * 100, unavailable: null };
    });
  }

  /** Prunes by the retention setting (config historyRetention); returns what went, per resolution. */
  prune(): Record<string, number> | null {
    const store = this.#open();
    if (!store) return null;
    const keep = this.#env.config().historyRetention;
    this.#prunedBy = JSON.stringify(keep);
    return store.prune(this.#env.os.now(), retentionMs(keep));
  }

  /** Totals or a series from the database, with what is pending flushed first (answers are as of now). */
  query(q: UsageQuery): UsageAnswer {
    const store = this.#open();
    if (!store) return { kind: 'error', error: this.#path ? `history unavailable: ${statusText(this.#env.status.get('history'))}` : 'history off: no database path' };
    this.flush();
    return answer(store, q, this.#env.os.now(), this.#icons);
  }

  /** Flushes and closes (engine stop, SIGTERM). */
  close(): void {
    this.flush();
    this.#store?.close();
    this.#store = null;
  }
}
