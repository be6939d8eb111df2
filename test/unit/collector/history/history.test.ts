// The usage history's buckets, retention, queries and bad files (issue 15), on real SQLite files.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { bucketStart, nextBucket, splitWindow, DEFAULT_RETENTION } from '../../../../electron/collector/history/buckets.ts';
import { HistoryStore, type UsageDelta } from '../../../../electron/collector/history/store.ts';
import { pickResolution, series, usage } from '../../../../electron/collector/history/query.ts';
import { ROLL_DELAY_MS } from '../../../../electron/collector/history/rollup.ts';
import type { Resolution } from '../../../../shared/index.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-hist-unit-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(dir, `h${++n}.sqlite`);
const open = (file: string) => { const r = HistoryStore.open(file); assert.ok(r.ok, r.ok ? '' : r.reason); return r; };
const row = (ts: number, app: string, rx: number, tx = 0, iface = ''): UsageDelta => ({ ts, app, iface, host: '', service: '', rx, tx });

test('buckets start on the local clock\'s boundaries; a local day may be 23 hours', () => {
  process.env['TZ'] = 'Europe/Berlin';
  const t = new Date('2026-03-29T10:07:31+02:00').getTime();
  assert.equal(new Date(bucketStart(t, '5m')).toISOString(), '2026-03-29T08:05:00.000Z');
  assert.equal(new Date(bucketStart(t, '1h')).toISOString(), '2026-03-29T08:00:00.000Z');
  assert.equal(new Date(bucketStart(t, '1d')).toISOString(), '2026-03-28T23:00:00.000Z'); // midnight CET
  assert.equal(new Date(bucketStart(t, '1mo')).toISOString(), '2026-02-28T23:00:00.000Z');
  // The spring-forward day is 23 hours long, the fall-back day 25, and its repeated hour is two buckets.
  assert.equal(nextBucket(t, '1d') - bucketStart(t, '1d'), 23 * 3600_000);
  const fall = new Date('2026-10-25T00:30:00Z').getTime(); // 02:30 CEST; an hour later 02:30 CET
  assert.equal(nextBucket(fall, '1d') - bucketStart(fall, '1d'), 25 * 3600_000);
  assert.equal(bucketStart(fall + 3600_000, '5m'), fall + 3600_000);
  assert.equal(nextBucket(fall, '1h'), bucketStart(fall, '1h') + 3600_000);
  const india = (() => { process.env['TZ'] = 'Asia/Kolkata'; return bucketStart(new Date('2026-11-17T10:50:00Z').getTime(), '1h'); })();
  assert.equal(new Date(india).toISOString(), '2026-11-17T10:30:00.000Z', '16:00 IST');
  process.env['TZ'] = 'Europe/Berlin';
});

test('a window is split across 5-minute boundaries by time, exactly; a jump back or forward lands whole in the last bucket', () => {
  const b = bucketStart(Date.now(), '5m');
  assert.deepEqual(splitWindow(b - 30_000, b + 90_000, 1200, 600_000), [{ ts: b - 300_000, bytes: 300 }, { ts: b, bytes: 900 }]);
  assert.deepEqual(splitWindow(b - 60_000, b, 1000, 600_000), [{ ts: b - 300_000, bytes: 1000 }], 'a poll at the boundary closes the old bucket');
  const parts = splitWindow(b - 1, b + 600_001, 1_000_003, 900_000);
  assert.equal(parts.length, 4);
  assert.equal(parts.reduce((s, p) => s + p.bytes, 0), 1_000_003);
  assert.ok(parts.every((p) => p.bytes >= 0 && Number.isInteger(p.bytes)));
  assert.deepEqual(splitWindow(b + 10_000, b + 5_000, 500, 600_000), [{ ts: b, bytes: 500 }], 'clock set back');
  assert.deepEqual(splitWindow(b - 7_200_000, b + 1000, 500, 600_000), [{ ts: b, bytes: 500 }], 'a suspend: not spread over the sleep');
});

test('flushes add up; hourly, daily, monthly agree with the 5-minute rows; queries pick the coarsest fitting table', () => {
  const file = fresh();
  const { store } = open(file);
  const day = bucketStart(new Date('2026-11-17T15:00:00Z').getTime(), '1d'); // not the 1st: a day, not a month
  store.write([row(day, 'a', 100, 10), row(day + 300_000, 'a', 50), row(day, 'b', 1, 1, 'lo'), row(day, '', 500, 500, 'eth0')],
    [{ id: 'a', name: 'Firefox', exe: '/usr/lib/firefox/firefox', icon: 'firefox' }, { id: 'b', name: 'node srv.js', exe: null, icon: null }], day);
  store.write([row(day, 'a', 100)], [], day);
  const now = day + 3_600_000;
  const q = usage(store, { from: day, to: now, by: 'app' }, now);
  assert.equal(q.resolution, '1d');
  assert.deepEqual(q.rows.map((r) => [r.name, r.icon, r.rxBytes, r.txBytes]), [['Firefox', 'firefox', 250, 10]], 'loopback rows left out by default');
  assert.deepEqual(usage(store, { from: day, to: now, by: 'app', includeLoopback: true }, now).rows.map((r) => r.key), ['a', 'b']);
  assert.deepEqual(usage(store, { from: day, to: day + 300_000, by: 'app' }, now).resolution, '5m');
  assert.deepEqual(usage(store, { from: day, to: now, by: 'interface' }, now).rows.map((r) => [r.key, r.rxBytes]), [['eth0', 500]]);
  const s = series(store, { from: day, to: day + 900_000, resolution: '5m', by: 'app' });
  assert.deepEqual(s.buckets.map((b) => b.values.map((v) => v.rxBytes)), [[200], [50], []], 'every bucket, the empty one too');
  // Before a bucket closes it is in the journal only, and every answer adds it in; once closed it is
  // folded into the 5-minute table (and the hourly journal); once the hour is complete its rows are
  // written and added into its day; the day into its month at midnight.
  const tableSum = (r: string) => (store.db.prepare(`SELECT coalesce(sum(rx), 0) AS rx FROM usage_${r}`).get() as { rx: number }).rx;
  const answered = (r: '1h' | '1d' | '1mo') => series(store, { from: day, to: day + 86_400_000, resolution: r, by: 'app', includeLoopback: true })
    .buckets.reduce((n, b) => n + b.values.reduce((m, v) => m + v.rxBytes, 0), 0) + usage(store, { from: day, to: now, by: 'interface' }, now).total.rxBytes;
  assert.deepEqual(['5m', '1h', '1d', '1mo'].map(tableSum), [0, 0, 0, 0], 'nothing closed yet');
  for (const r of ['1h', '1d', '1mo'] as const) assert.equal(answered(r), 751, r);
  store.write([], [], day + 600_000 + ROLL_DELAY_MS); // the first two buckets closed (2 minutes ago)
  assert.deepEqual(['5m', '1h', '1d', '1mo'].map(tableSum), [751, 0, 0, 0]);
  for (const r of ['1h', '1d', '1mo'] as const) assert.equal(answered(r), 751, r);
  store.write([row(day + 600_000, 'a', 9)], [], day + 3_600_000 + ROLL_DELAY_MS); // the hour closed
  assert.deepEqual(['5m', '1h', '1d', '1mo'].map(tableSum), [760, 760, 760, 0]);
  store.write([], [], day + 86_400_000 + ROLL_DELAY_MS); // the day closed
  assert.deepEqual(['5m', '1h', '1d', '1mo'].map(tableSum), [760, 760, 760, 760]);
  for (const r of ['1h', '1d', '1mo'] as const) assert.equal(answered(r), 760, r);
  assert.equal(pickResolution(bucketStart(day - 30 * 86_400_000, '1d'), now, now), '1d', 'a month back from a midnight: daily rows');
  assert.equal(pickResolution(day - 30 * 86_400_000 + 300_000, now, now), '1h', 'older than a week: never 5-minute rows, which are gone');
  store.close();
});

test('retention prunes exactly what the policy says on a synthetic year of 5-minute data', () => {
  const file = fresh();
  const { store } = open(file);
  const now = bucketStart(new Date('2026-12-01T12:00:00Z').getTime(), '5m');
  const start = bucketStart(now - 365 * 86_400_000, '5m');
  const deltas: UsageDelta[] = [];
  for (let t = start; t < now; t = nextBucket(t, '5m')) deltas.push(row(t, 'app', 1));
  store.write(deltas, [], now + ROLL_DELAY_MS); // all but the last bucket folded: appending a year spent the flush's budget
  store.write([], [], now + ROLL_DELAY_MS); // and the last one
  const count = (r: string) => (store.db.prepare(`SELECT count(*) AS n FROM usage_${r}`).get() as { n: number }).n;
  const before = { '5m': count('5m'), '1h': count('1h'), '1d': count('1d'), '1mo': count('1mo') };
  const keptFrom = (r: '5m' | '1h' | '1d') => bucketStart(now - DEFAULT_RETENTION[r]!, r);
  const older = (r: '5m' | '1h' | '1d') => (store.db.prepare(`SELECT count(*) AS n FROM usage_${r} WHERE ts < ?`).get(keptFrom(r)) as { n: number }).n;
  const want = { '5m': older('5m'), '1h': older('1h'), '1d': older('1d'), '1mo': 0 };
  assert.equal(want['5m'], before['5m'] - 7 * 288, 'a week of 5-minute rows stays');
  const pruned = store.prune(now, DEFAULT_RETENTION);
  assert.deepEqual(pruned, want);
  assert.equal(count('5m'), 7 * 288);
  assert.equal(count('1h'), before['1h'] - want['1h']);
  assert.equal(count('1d'), before['1d'], 'five years of days: nothing of this year goes');
  assert.equal(count('1mo'), before['1mo']);
  // The totals of what is kept still agree where the tables overlap: the last week, from a whole hour.
  const hour = nextBucket(keptFrom('5m'), '1h');
  const week = (r: string) => (store.db.prepare(`SELECT sum(rx) AS rx FROM usage_${r} WHERE ts >= ?`).get(hour) as { rx: number }).rx;
  assert.equal(week('5m'), week('1h'));
  assert.ok(week('5m') > 6 * 288);
  store.close();
});

test('a corrupt file and a foreign SQLite file are moved aside with a notice; a new history starts', () => {
  const bad = fresh();
  fs.writeFileSync(bad, Buffer.alloc(8192, 0x5a));
  const r = open(bad);
  assert.match(r.notice!, /damaged \(file is not a database\): moved aside to .*\.corrupt-/);
  r.store.write([row(Date.now(), 'a', 1)], [], Date.now());
  r.store.close();
  assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith(path.basename(bad)) && f.includes('.corrupt-')).length, 1);

  const foreign = fresh();
  const d = new DatabaseSync(foreign);
  d.exec('CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES (\'x\')');
  d.close();
  const f = open(foreign);
  assert.match(f.notice!, /not a NetWatch history database: moved aside to .*\.foreign-/);
  f.store.close();
  const aside = fs.readdirSync(dir).find((x) => x.startsWith(path.basename(foreign)) && x.includes('.foreign-'))!;
  const kept = new DatabaseSync(path.join(dir, aside), { readOnly: true });
  assert.equal((kept.prepare('SELECT url FROM moz_places').get() as { url: string }).url, 'x', 'the foreign file is kept intact');
  kept.close();
});

test('a database of a newer schema is refused with the reason, not migrated down', () => {
  const file = fresh();
  open(file).store.close();
  const d = new DatabaseSync(file);
  d.exec('PRAGMA user_version = 99');
  d.close();
  const r = HistoryStore.open(file);
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.reason : '', /history schema 99 is newer than this NetWatch knows \(4\): update NetWatch/);
});

test('a data plan counts the interface\'s bytes since its reset day, flushed or not; alerts at 80 % and 100 %', async () => {
  const { HistoryTier } = await import('../../../../electron/collector/engine/history-tier.ts');
  const { QuotaDetector } = await import('../../../../electron/collector/engine/alerts.ts');
  const { StatusBoard } = await import('../../../../electron/collector/engine/tier.ts');
  const { defaultConfig, quotaPeriod } = await import('../../../../shared/index.ts');
  process.env['TZ'] = 'Europe/Berlin';
  let now = new Date('2026-11-20T12:00:00+01:00').getTime();
  const cfg = { ...defaultConfig(), quotas: [{ interface: 'wlan0', limitBytes: 10_000_000, resetDay: 15 }] };
  const status = new StatusBoard();
  const t = new HistoryTier({ sources: undefined as never, os: { now: () => now } as never, config: () => cfg, status }, fresh());
  assert.deepEqual(quotaPeriod(15, now), { start: new Date('2026-11-15T00:00:00+01:00').getTime(), end: new Date('2026-12-15T00:00:00+01:00').getTime() });
  assert.deepEqual(quotaPeriod(15, new Date('2026-11-03T12:00:00+01:00').getTime()).start, new Date('2026-10-15T00:00:00+02:00').getTime(), 'before the reset day: the period began last month');
  // Before the period: not counted. In it: 7 MB flushed, then 1.5 MB pending, 0.3 MB on another interface.
  t.addInterfaces(new Map([['wlan0', { rx: 5_000_000, tx: 0, fromTs: now - 6 * 86_400_000 - 1000 }]]), now - 6 * 86_400_000);
  t.addInterfaces(new Map([['wlan0', { rx: 6_000_000, tx: 1_000_000, fromTs: now - 1000 }]]), now);
  t.flush();
  now += 60_000;
  t.addInterfaces(new Map([['wlan0', { rx: 1_000_000, tx: 500_000, fromTs: now - 1000 }], ['eth0', { rx: 300_000, tx: 0, fromTs: now - 1000 }]]), now);
  const [q] = t.quotas(now);
  assert.equal(q!.usedBytes, 8_500_000);
  assert.equal(q!.pct, 85);
  assert.equal(q!.unavailable, null);
  const d = new QuotaDetector();
  assert.deepEqual(d.check([q!], now).map((a) => [a.severity, a.title]), [['warning', '85 % of the data plan on wlan0 used']]);
  t.addInterfaces(new Map([['wlan0', { rx: 2_000_000, tx: 0, fromTs: now }]]), now + 1000);
  const over = d.check(t.quotas(now + 1000), now + 1000)[0]!;
  assert.deepEqual([over.severity, over.title], ['critical', 'Data plan on wlan0 used up']);
  assert.match(over.detail, /^10\.5 MB of 10\.0 MB since the reset; the next reset is Tue Dec 15 2026$/);
  t.close();
  const off = new HistoryTier({ sources: undefined as never, os: { now: () => now } as never, config: () => cfg, status: new StatusBoard() }, null);
  assert.equal(off.quotas(now)[0]!.unavailable, 'no usage history kept (--db PATH)');
});

test('a schema-1 database (written by the old store) migrates to integer keys and roll-ups, keeping every byte', () => {
  process.env['TZ'] = 'Europe/Berlin';
  const file = fresh();
  fs.copyFileSync(path.join(import.meta.dirname, '../../../fixtures/history/schema1.sqlite'), file);
  const old = new DatabaseSync(file, { readOnly: true });
  const before = (sql: string) => old.prepare(sql).all();
  const want = {
    byRes: ['5m', '1h', '1d', '1mo'].map((r) => before(`SELECT ts, app, iface, host, service, rx, tx FROM usage_${r} ORDER BY ts, app, iface, host, service`)),
    apps: before('SELECT id, name, exe, icon FROM apps ORDER BY id'),
  };
  old.close();
  const reader = HistoryStore.openReadOnly(file);
  assert.match(reader.ok ? '' : reader.reason, /history schema 1 is older than this NetWatch's \(4\): start the engine once to update it/);
  const { store } = open(file);
  const after = ['5m', '1h', '1d', '1mo'].map((r) => store.db.prepare(`SELECT ts, app, iface, host, service, rx, tx FROM usage_${r} ORDER BY ts, app, iface, host, service`).all());
  assert.deepEqual(after, want.byRes, 'every row of every table, through the views');
  assert.deepEqual(store.db.prepare('SELECT id, name, exe, icon FROM apps ORDER BY id').all(), want.apps);
  assert.equal((store.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, 4);
  // The last bucket (12:35) was open: more bytes for it land in its 5-minute row at once and, once its
  // hour is complete, in every coarser table, as schema 1 would have put them; the next one (12:40) is new,
  // in the journal until it is folded. Answers add both in.
  const last = new Date('2026-11-17T12:35:00+01:00').getTime();
  const day = bucketStart(last, '1d');
  const total = (r: Resolution) => (store.db.prepare(`SELECT sum(rx) AS rx FROM usage_${r} WHERE ts >= ?`).get(bucketStart(day, r)) as { rx: number }).rx;
  const t0 = (['5m', '1h', '1d', '1mo'] as const).map(total);
  store.write([row(last, '/usr/bin/curl', 1000), row(last + 300_000, '/usr/bin/curl', 20)], [], last + 60_000);
  assert.deepEqual((['5m', '1h', '1d', '1mo'] as const).map(total), [t0[0]! + 1000, t0[1]!, t0[2]!, t0[3]!]);
  const curlToday = () => usage(store, { from: day, to: day + 86_400_000, by: 'app' }, last + 60_000).rows.find((r) => r.name === 'curl')!.rxBytes;
  const wantCurl = (want.byRes[2] as Array<{ ts: number; app: string; rx: number }>).filter((r) => r.ts === day && r.app === '/usr/bin/curl').reduce((n, r) => n + r.rx, 0) + 1020;
  assert.equal(curlToday(), wantCurl, 'answers add the part not rolled up yet');
  // Days later the open hour and day have closed: every table holds the same total again.
  store.write([], [], day + 2 * 86_400_000);
  const all = (r: string) => (store.db.prepare(`SELECT sum(rx) AS rx FROM usage_${r}`).get() as { rx: number }).rx;
  assert.deepEqual(['1h', '1d', '1mo'].map(all), [all('5m'), all('5m'), all('5m')]);
  assert.equal(curlToday(), wantCurl);
  store.close();
  const ro = HistoryStore.openReadOnly(file);
  assert.ok(ro.ok);
  if (ro.ok) { assert.equal(usage(ro.store, { from: day, to: day + 86_400_000, by: 'app' }, day + 2 * 86_400_000).rows.find((r) => r.name === 'curl')!.rxBytes, wantCurl); ro.store.close(); }
});

test('the clock set back after a roll-up: bytes for rolled buckets go to every table, once', () => {
  process.env['TZ'] = 'Europe/Berlin';
  const { store } = open(fresh());
  const t = bucketStart(new Date('2026-11-17T15:00:00Z').getTime(), '1h');
  store.write([row(t, 'a', 100)], [], t + 2 * 86_400_000); // rolled into hour, day and month at once
  const sums = () => ['5m', '1h', '1d', '1mo'].map((r) => (store.db.prepare(`SELECT sum(rx) AS rx FROM usage_${r}`).get() as { rx: number }).rx);
  assert.deepEqual(sums(), [100, 100, 100, 100]);
  store.write([row(t + 300_000, 'a', 7)], [], t + 400_000); // the clock went back two days
  assert.deepEqual(sums(), [107, 107, 107, 107]);
  assert.equal(usage(store, { from: bucketStart(t, '1mo'), to: t + 2 * 86_400_000, by: 'app' }, t + 400_000).rows[0]!.rxBytes, 107);
  store.write([], [], t + 3 * 86_400_000);
  assert.deepEqual(sums(), [107, 107, 107, 107], 'not rolled up a second time');
  store.close();
});

test('10-second interface buckets: each tick split by time, idle as 0 and not running as no row; kept an hour', async () => {
  const { HistoryTier } = await import('../../../../electron/collector/engine/history-tier.ts');
  const { StatusBoard } = await import('../../../../electron/collector/engine/tier.ts');
  const { defaultConfig } = await import('../../../../shared/index.ts');
  let now = Date.UTC(2026, 10, 17, 12, 0, 5);
  const t = new HistoryTier({ sources: undefined as never, os: { now: () => now } as never, config: () => defaultConfig(), status: new StatusBoard() }, fresh());
  // 1 s ticks for 20 s: eth0 1000 B/s received, 100 B/s sent; wlan0 idle. Then the engine stops for 30 s.
  for (let k = 0; k < 20; k++) {
    now += 1000;
    t.addInterfaces(new Map([['eth0', { rx: 1000, tx: 100, fromTs: now - 1000 }], ['wlan0', { rx: 0, tx: 0, fromTs: now - 1000 }]]), now);
  }
  now += 30_000;
  t.addInterfaces(new Map([['eth0', { rx: 2000, tx: 0, fromTs: now - 2000 }]]), now); // the first poll after the gap: 2 s
  const from = Date.UTC(2026, 10, 17, 12, 0, 0);
  const a = t.query({ kind: 'series', by: 'interface', resolution: '10s', from, to: now + 1 });
  assert.ok(a.kind === 'series');
  const cell = (k: number, iface: string) => a.buckets[k]!.values.find((v) => v.key === iface);
  assert.deepEqual(a.buckets.map((b) => b.ts - from), [0, 10_000, 20_000, 30_000, 40_000, 50_000], '12:00:00 to 12:00:55');
  assert.deepEqual([cell(0, 'eth0'), cell(1, 'eth0'), cell(2, 'eth0')].map((v) => v && [v.rxBytes, v.txBytes]), [[5000, 500], [10_000, 1000], [5000, 500]]);
  assert.deepEqual(cell(1, 'wlan0'), { key: 'wlan0', rxBytes: 0, txBytes: 0 }, 'idle: a 0 row');
  assert.equal(a.buckets[3]!.values.length, 0, 'the engine was not running: no row');
  assert.deepEqual(cell(5, 'eth0'), { key: 'eth0', rxBytes: 2000, txBytes: 0 });
  assert.deepEqual(t.query({ kind: 'series', by: 'app', resolution: '10s', from, to: now }), { kind: 'error', error: "10s buckets are kept for interfaces only (by: 'interface')" });
  // An hour later the 10-second rows are gone; the 5-minute rows stay.
  now += 3_600_000;
  t.addInterfaces(new Map([['eth0', { rx: 1, tx: 1, fromTs: now - 1000 }]]), now);
  t.flush();
  const later = t.query({ kind: 'series', by: 'interface', resolution: '10s', from, to: from + 60_000 });
  assert.ok(later.kind === 'series' && later.buckets.every((b) => b.values.length === 0));
  const total = t.query({ kind: 'totals', by: 'interface', from, to: now });
  assert.ok(total.kind === 'totals' && total.rows.find((r) => r.key === 'eth0')!.rxBytes === 22_001);
  t.close();
});

test('retention is a setting: the tier prunes by it at its first flush and again as soon as it changes; readers follow', async () => {
  const { HistoryTier } = await import('../../../../electron/collector/engine/history-tier.ts');
  const { StatusBoard } = await import('../../../../electron/collector/engine/tier.ts');
  const { defaultConfig, HistoryRetentionSchema } = await import('../../../../shared/index.ts');
  const { retentionMs } = await import('../../../../electron/collector/history/buckets.ts');
  process.env['TZ'] = 'Europe/Berlin';
  const file = fresh();
  const now = bucketStart(new Date('2026-12-01T12:00:00Z').getTime(), '1h');
  {
    const { store } = open(file);
    const deltas: UsageDelta[] = [];
    for (let t = now - 400 * 86_400_000; t < now; t += 3_600_000) deltas.push(row(bucketStart(t, '5m'), 'app', 1));
    store.write(deltas, [], now + ROLL_DELAY_MS);
    store.close();
  }
  let cfg = defaultConfig();
  const t = new HistoryTier({ sources: undefined as never, os: { now: () => now } as never, config: () => cfg, status: new StatusBoard() }, file);
  const d = new DatabaseSync(file, { readOnly: true });
  const oldest = (r: Resolution) => (d.prepare(`SELECT min(ts) AS t FROM usage_${r}`).get() as { t: number }).t;
  const beyond = (r: Resolution, days: number) => (d.prepare(`SELECT count(*) AS n FROM usage_${r} WHERE ts < ?`).get(bucketStart(now - days * 86_400_000, r)) as { n: number }).n;
  t.addInterfaces(new Map([['eth0', { rx: 1, tx: 1, fromTs: now - 1000 }]]), now);
  t.flush(); // the first flush prunes by the setting: the defaults
  assert.deepEqual([beyond('5m', 7), beyond('1h', 90), oldest('1mo') < now - 366 * 86_400_000], [0, 0, true]);
  assert.ok(beyond('5m', 6) > 0 && beyond('1h', 89) > 0, 'no more than the policy says');
  cfg = { ...cfg, historyRetention: { '5m': 2, '1h': 30, '1d': 100, '1mo': 366 } };
  t.flush(); // changed: pruned at this flush (with nothing else to write), not an hour later
  assert.deepEqual([beyond('5m', 2), beyond('1h', 30), beyond('1d', 100), beyond('1mo', 366)], [0, 0, 0, 0]);
  assert.ok(beyond('5m', 1) > 0 && beyond('1h', 29) > 0 && beyond('1d', 99) > 0);
  t.close();
  d.close();
  const ro = HistoryStore.openReadOnly(file);
  assert.ok(ro.ok);
  if (ro.ok) { assert.deepEqual(ro.store.retention(), retentionMs(cfg.historyRetention), 'readers pick tables by what the writer keeps'); ro.store.close(); }
  // The allowed ranges: a week of 5-minute rows at most a month, and so on.
  assert.equal(HistoryRetentionSchema.safeParse({ '5m': 32, '1h': 90, '1d': 1830, '1mo': null }).success, false);
  assert.equal(HistoryRetentionSchema.safeParse({ '5m': 7, '1h': 90, '1d': 1830, '1mo': 100 }).success, false);
  assert.equal(HistoryRetentionSchema.safeParse({ '5m': 1, '1h': 7, '1d': 31, '1mo': 366 }).success, true);
});

test('the retention setting: an older settings file loads with the defaults; the engine config carries it', async () => {
  const { defaultSettings, engineConfigOf, loadSettingsFile, mergeConfig, defaultConfig } = await import('../../../../shared/index.ts');
  const old = { ...defaultSettings() } as Record<string, unknown>;
  delete old['historyRetention'];
  const { settings, notice } = loadSettingsFile({ read: () => JSON.stringify(old), rename: () => assert.fail('nothing to move aside'), writeAtomic: () => {} }, '/x/settings.json', 0);
  assert.equal(notice, null);
  assert.deepEqual(settings.historyRetention, { '5m': 7, '1h': 90, '1d': 1830, '1mo': null });
  const mine = { ...settings, historyRetention: { '5m': 3, '1h': 60, '1d': 400, '1mo': 3660 } };
  assert.deepEqual(mergeConfig(defaultConfig(), engineConfigOf(mine)).historyRetention, mine.historyRetention);
});

test('app icons: a name is looked up in the hicolor theme and pixmaps, never as a path; too large or other formats: none', async () => {
  const { IconCache, iconFiles, MAX_ICON_BYTES } = await import('../../../../electron/collector/history/icons.ts');
  const share = path.join(dir, 'icons-share');
  const env = { XDG_DATA_DIRS: share, XDG_DATA_HOME: path.join(dir, 'none') };
  fs.mkdirSync(path.join(share, 'icons/hicolor/48x48/apps'), { recursive: true });
  fs.mkdirSync(path.join(share, 'pixmaps'), { recursive: true });
  const png = fs.readFileSync(path.join(import.meta.dirname, '../../../../build/trayLinux.png'));
  fs.writeFileSync(path.join(share, 'icons/hicolor/48x48/apps/demo.png'), png);
  fs.writeFileSync(path.join(share, 'pixmaps/big.png'), Buffer.alloc(MAX_ICON_BYTES + 1));
  fs.writeFileSync(path.join(share, 'pixmaps/old.xpm'), '/* XPM */');
  assert.deepEqual(iconFiles('../../etc/passwd', env, dir), []);
  assert.deepEqual(iconFiles('/etc/passwd', env, dir), []);
  assert.equal(iconFiles('demo', env, dir)[0], path.join(dir, 'none/icons/hicolor/32x32/apps/demo.png'), 'the user\'s own first');
  const c = new IconCache(env, dir);
  assert.equal(c.url('demo'), `data:image/png;base64,${png.toString('base64')}`);
  assert.equal(c.url(path.join(share, 'icons/hicolor/48x48/apps/demo.png')), c.url('demo'), 'an absolute Icon= as it is');
  assert.deepEqual([c.url('big'), c.url('old'), c.url('none'), c.url(null)], [null, null, null, null]);
});

test('a schema-3 database (written by the store before the journals) migrates: its buckets not rolled up yet are, once', () => {
  process.env['TZ'] = 'Europe/Berlin';
  const file = fresh();
  fs.copyFileSync(path.join(import.meta.dirname, '../../../fixtures/history/schema3.sqlite'), file);
  const old = new DatabaseSync(file, { readOnly: true });
  const rows5 = old.prepare('SELECT ts, app, iface, host, service, rx, tx FROM usage_5m ORDER BY ts, app, iface, host, service').all();
  const all5 = (old.prepare('SELECT sum(rx) AS rx FROM usage_5m').get() as { rx: number }).rx;
  const hourly = (old.prepare('SELECT sum(rx) AS rx FROM usage_1h').get() as { rx: number }).rx;
  old.close();
  assert.ok(hourly < all5, 'the fixture has 5-minute rows not rolled into their hour yet');
  const { store } = open(file);
  assert.equal((store.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, 4);
  assert.deepEqual(store.db.prepare('SELECT ts, app, iface, host, service, rx, tx FROM usage_5m ORDER BY ts, app, iface, host, service').all(), rows5);
  const last = new Date('2026-11-17T12:35:00+01:00').getTime(); // the open bucket when schema 3 wrote it
  const day = bucketStart(last, '1d');
  const answered = () => (['1h', '1d', '1mo'] as const).map((resolution) =>
    series(store, { from: bucketStart(day - 86_400_000, '1mo'), to: day + 86_400_000, resolution, by: 'interface' }).buckets
      .reduce((n, b) => n + b.values.reduce((k, v) => k + v.rxBytes, 0), 0));
  const iface5 = (store.db.prepare("SELECT sum(rx) AS rx FROM usage_5m WHERE app = '' AND iface != ''").get() as { rx: number }).rx;
  assert.deepEqual(answered(), [iface5, iface5, iface5], 'every resolution counts every byte once');
  // More for the open bucket (a late write now) and the next one (the journal); then everything rolls up.
  store.write([row(last, '', 1000, 0, 'eth0'), row(last + 300_000, '', 20, 0, 'eth0')], [], last + 60_000);
  assert.deepEqual(answered(), [iface5 + 1020, iface5 + 1020, iface5 + 1020]);
  store.write([], [], day + 2 * 86_400_000);
  const sum = (r: string) => (store.db.prepare(`SELECT sum(rx) AS rx FROM usage_${r}`).get() as { rx: number }).rx;
  assert.deepEqual(['5m', '1h', '1d', '1mo'].map(sum), [all5 + 1020, all5 + 1020, all5 + 1020, all5 + 1020]);
  store.close();
});
