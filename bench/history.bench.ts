// npm run bench — the usage history's costs (issue 15), beside vnStat reading its own database.
//  1. One flush of 200 apps × 50 hosts (10,000 keys) — target ≤ 5 ms — within a bucket, right after a boundary
//     (two buckets per key), the first to fold a closed bucket, the first of all (10,000 new keys); over two
//     hours of flushes (from 23:00, so midnight is in them) the mean, p95 and maximum, also after the first
//     hour; the WAL checkpoints on the worker thread; and one flush of 200 apps without hosts. `--all` prints
//     every flush's time to stderr.
//  2. Database size after a simulated month at 5-minute resolution (retention applied) and a year's projection — target ≤ 50 MB a year.
//  3. The month-by-app query on a synthetic year of 5-minute data — target ≤ 50 ms; `vnstat --json m` in the same run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HistoryStore, type KeyRef, type UsageDelta } from '../electron/collector/history/store.ts';
import { bucketStart, nextBucket, DEFAULT_RETENTION } from '../electron/collector/history/buckets.ts';
import { usage } from '../electron/collector/history/query.ts';

const QUICK = process.argv.includes('--quick');
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-history-bench-'));
const open = (name: string) => { const r = HistoryStore.open(path.join(dir, name)); if (!r.ok) throw new Error(r.reason); return r.store; };
const sizeMb = (file: string) => ['', '-wal'].reduce((n, x) => n + (fs.existsSync(file + x) ? fs.statSync(file + x).size : 0), 0) / 1e6;
const results: Record<string, unknown> = {};

// 1. Flush cost, as the engine flushes: every minute (here at :30 s), so the first flush of a 5-minute
// bucket also carries the last 30 s of the previous one (two rows per key) and rolls that bucket up.
// Starts at 23:00 local: the flush at midnight closes a 5-minute bucket, an hour and a day at once.
{
  const s = open('flush.sqlite');
  const apps = Array.from({ length: 200 }, (_, i) => ({ id: `/usr/bin/app${i}`, name: `app${i}`, exe: `/usr/bin/app${i}`, icon: null }));
  const H = bucketStart(Date.now(), '1d') - 3_600_000;
  const kind: Record<string, number[]> = { newKeys: [], within: [], boundary: [], foldStart: [] };
  const all: number[] = [];
  const checkpoints: number[] = [];
  // Rows as the history tier hands them over: new objects and strings each flush, each key's KeyRef kept.
  const refs: KeyRef[] = Array.from({ length: 200 * 50 }, () => ({}));
  const row = (ts: number, a: number, h: number, rx: number): UsageDelta => ({ ts, app: apps[a]!.id, iface: '', host: `10.0.${a}.${h}`, service: '', rx, tx: rx / 10, ref: refs[a * 50 + h] });
  for (let b = 0; b <= 24; b++) {
    for (let f = 0; f < 5; f++) {
      const ts = H + b * 300_000;
      const rows: UsageDelta[] = [];
      for (let a = 0; a < 200; a++) for (let h = 0; h < 50; h++) {
        if (f === 0 && b > 0) rows.push(row(ts - 300_000, a, h, 500));
        rows.push(row(ts, a, h, f === 0 && b > 0 ? 500 : 1000));
      }
      const t0 = performance.now();
      s.write(rows, apps, ts + f * 60_000 + 30_000);
      const ms = performance.now() - t0;
      all.push(ms);
      // The engine flushes a minute apart: the WAL checkpoint the flush asked for (on the worker thread) is done before the next.
      const ck = await s.checkpointer?.next();
      if (ck) checkpoints.push(ck.ms);
      // f 0: the flush after a boundary (two buckets per key); f 2: the first to fold the closed bucket (a slice).
      kind[b === 0 ? (f === 0 ? 'newKeys' : 'within') : f === 0 ? 'boundary' : f === 2 ? 'foldStart' : 'within']!.push(ms);
    }
  }
  results['flush200x50Ms'] = median(kind['within']!);
  results['flush200x50BoundaryMs'] = median(kind['boundary']!); // 20,000 rows: both sides of a 5-minute boundary
  results['flush200x50FoldStartMs'] = median(kind['foldStart']!); // the first slice of the closed bucket (its keys ordered)
  results['flush200x50NewKeysMs'] = kind['newKeys']![0];
  if (process.argv.includes('--all')) console.error(all.map((x) => x.toFixed(1)).join(' '));
  results['flush200x50MeanMs'] = all.slice(1).reduce((n, x) => n + x, 0) / (all.length - 1);
  results['flush200x50MaxMs'] = Math.max(...all.slice(1));
  const p95 = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
  results['flush200x50P95Ms'] = p95(all.slice(1));
  results['flush200x50SteadyP95Ms'] = p95(all.slice(60)); // after the first hour (the JIT has warmed up)
  results['flush200x50SteadyMaxMs'] = Math.max(...all.slice(60));
  // Off the engine's thread (history/checkpointer.ts): what it would otherwise add to one flush in several.
  results['checkpointMedianMs'] = checkpoints.length ? median(checkpoints) : 'no worker';
  results['checkpointMaxMs'] = checkpoints.length ? Math.max(...checkpoints) : 'no worker';
  // What a flush carries without host rows: 200 apps, external and loopback rows, 8 interfaces (a store of its own).
  const s2 = open('apps.sqlite');
  const today: number[] = [];
  let ts = H;
  for (let run = 0; run < (QUICK ? 5 : 20); run++) {
    const rows: UsageDelta[] = [];
    for (let a = 0; a < 200; a++) for (const iface of ['', 'lo']) rows.push({ ts, app: apps[a]!.id, iface, host: '', service: '', rx: 1000, tx: 100 });
    for (let i = 0; i < 8; i++) rows.push({ ts, app: '', iface: `if${i}`, host: '', service: '', rx: 1000, tx: 100 });
    const t0 = performance.now();
    s2.write(rows, apps, ts + 30_000 + (run % 5) * 60_000);
    today.push(performance.now() - t0);
    await s2.checkpointer?.next();
    if (run % 5 === 4) ts += 300_000;
  }
  results['flush200AppsMs'] = median(today);
  s2.close();
  // Two days on everything is rolled up: every table holds the same bytes of the hour before midnight.
  s.write([], [], H + 2 * 86_400_000);
  const sums = ['5m', '1h', '1d', '1mo'].map((r) => (s.db.prepare(`SELECT sum(rx) AS rx FROM usage_${r} WHERE ts < ?`).get(H + 3_600_000) as { rx: number }).rx);
  if (new Set(sums).size !== 1) throw new Error(`roll-ups disagree with the 5-minute rows: ${sums}`);
  s.close();
}

// 2. Size: a month of what the engine writes today (per 5 minutes: 30 active apps, external and
// loopback rows, and 6 interfaces), with retention applied as the engine does (hourly prune).
{
  const file = path.join(dir, 'month.sqlite');
  const s = open('month.sqlite');
  const now = bucketStart(Date.now(), '5m');
  let t = now - 30 * 86_400_000;
  let lastPrune = t;
  for (; t < now; t = nextBucket(t, '5m')) {
    const rows: UsageDelta[] = [];
    for (let a = 0; a < 30; a++) for (const iface of ['', 'lo']) rows.push({ ts: t, app: `/usr/bin/app${(a * 7 + t / 300_000) % 200}`, iface, host: '', service: '', rx: 5000, tx: 500 });
    for (let i = 0; i < 6; i++) rows.push({ ts: t, app: '', iface: `if${i}`, host: '', service: '', rx: 9000, tx: 900 });
    s.write(rows, [], t);
    await s.checkpointer?.next(); // a flush a minute apart: its checkpoint is done before the next
    if (t - lastPrune >= 3_600_000) { s.prune(t, DEFAULT_RETENTION); lastPrune = t; }
  }
  s.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  results['monthMb'] = sizeMb(file);
  // A year: 5-minute rows stay a week either way; hourly ones grow to 90 days, daily and monthly ones all year.
  const count = (r: string) => (s.db.prepare(`SELECT count(*) AS n FROM usage_${r}`).get() as { n: number }).n;
  const perRow = (sizeMb(file) * 1e6) / (count('5m') + count('1h') + count('1d') + count('1mo'));
  results['yearProjectedMb'] = (perRow * (count('5m') + count('1h') * 3 + count('1d') * 12 + count('1mo') * 12)) / 1e6;
  s.close();
}

// 3. Month-by-app query on a synthetic year of 5-minute rows (no pruning: the worst case of a table).
{
  const s = open('year.sqlite');
  const now = bucketStart(Date.now(), '5m');
  const rows: UsageDelta[] = [];
  for (let t = now - (QUICK ? 30 : 365) * 86_400_000; t < now; t = nextBucket(t, '5m')) {
    for (let a = 0; a < 10; a++) rows.push({ ts: t, app: `/usr/bin/app${(a * 13 + t / 300_000) % 200}`, iface: '', host: '', service: '', rx: 5000, tx: 500 });
  }
  for (let i = 0; i < rows.length; i += 50_000) { s.write(rows.slice(i, i + 50_000), [], now); await s.checkpointer?.next(); }
  const month = bucketStart(now, '1mo');
  const times: number[] = [];
  for (let i = 0; i < 10; i++) { const t0 = performance.now(); usage(s, { from: month, to: now, by: 'app' }, now); times.push(performance.now() - t0); }
  results['monthByAppQueryMs'] = median(times);
  // The same question from the 5-minute table itself, for the case where no coarser table fits.
  const times5: number[] = [];
  for (let i = 0; i < 5; i++) { const t0 = performance.now(); usage(s, { from: month + 300_000, to: now - 300_000, by: 'app' }, now + 1); times5.push(performance.now() - t0); }
  results['monthByAppQueryFrom5mMs'] = median(times5);
  s.close();
}

// vnStat reading its own database, in the same run: a private database (its own config file, no
// daemon) holding a synthetic year for one interface at vnStat's default retention (5-minute rows 48 h,
// hourly 4 days, daily 62 days, monthly 25 months), then `vnstat --json m` timed.
try {
  const vdir = path.join(dir, 'vnstat');
  fs.mkdirSync(vdir);
  const conf = path.join(vdir, 'vnstat.conf');
  fs.writeFileSync(conf, `DatabaseDir "${vdir}"\nInterface "eth0"\n`);
  execFileSync('vnstatd', ['--config', conf, '--initdb'], { stdio: 'ignore' });
  execFileSync('vnstat', ['--config', conf, '--add', '-i', 'eth0'], { stdio: 'ignore' });
  const { DatabaseSync } = await import('node:sqlite');
  const v = new DatabaseSync(path.join(vdir, 'vnstat.db'));
  const local = (t: number) => { const d = new Date(t); const p = (n: number) => String(n).padStart(2, '0'); return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:00`; };
  const now = bucketStart(Date.now(), '5m');
  v.exec('BEGIN');
  const fill = (table: string, res: '5m' | '1h' | '1d' | '1mo', span: number) => {
    const st = v.prepare(`INSERT OR IGNORE INTO ${table} (interface, date, rx, tx) VALUES (1, ?, 5000, 500)`);
    for (let t = bucketStart(now - span, res); t < now; t = nextBucket(t, res)) st.run(local(t));
  };
  fill('fiveminute', '5m', 2 * 86_400_000); fill('hour', '1h', 4 * 86_400_000); fill('day', '1d', 62 * 86_400_000); fill('month', '1mo', 760 * 86_400_000);
  v.exec('COMMIT');
  v.close();
  const times: number[] = [];
  for (let i = 0; i < 10; i++) { const t0 = performance.now(); execFileSync('vnstat', ['--config', conf, '--json', 'm'], { stdio: ['ignore', 'pipe', 'pipe'] }); times.push(performance.now() - t0); }
  results['vnstatJsonMonthsMs'] = median(times);
  results['vnstatNote'] = 'one interface, whole process (exec + open + query + JSON); NetWatch figures above are the query alone, in process';
} catch (e) {
  results['vnstatJsonMonthsMs'] = `unavailable: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'vnstat not installed (Debian: apt-get install vnstat)' : (e as Error).message.split('\n')[0]}`;
}
// For a like-for-like pair: our month query as a whole `netwatch usage --month --json` process.
{
  const s = open('cli.sqlite');
  const now = Date.now();
  s.write(Array.from({ length: 2000 }, (_, i) => ({ ts: now - i * 300_000, app: `/usr/bin/app${i % 20}`, iface: '', host: '', service: '', rx: 5000, tx: 500 })), [], now);
  s.close();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, [path.join(import.meta.dirname, '..', 'bin', 'netwatch.js'), 'usage', '--month', '--json', '--db', path.join(dir, 'cli.sqlite')], { stdio: ['ignore', 'pipe', 'pipe'] });
    times.push(performance.now() - t0);
  }
  results['netwatchUsageMonthProcessMs'] = median(times);
}

fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ history: results }, null, 2));
