// The journals and the paced fold (issue 15's flush cost): buckets folded a slice a flush, hours written
// once complete, and every answer exact at every step, from the writer, a reader and after a restart.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bucketStart } from '../../../../electron/collector/history/buckets.ts';
import { HistoryStore, type KeyRef, type UsageDelta } from '../../../../electron/collector/history/store.ts';
import { series, usage } from '../../../../electron/collector/history/query.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-journal-unit-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const open = (file: string) => { const r = HistoryStore.open(file); assert.ok(r.ok, r.ok ? '' : r.reason); return r.store; };
const tableSum = (s: HistoryStore, r: string) => (s.db.prepare(`SELECT coalesce(sum(rx), 0) AS rx FROM usage_${r}`).get() as { rx: number }).rx;

test('2,000 hosts a bucket for 70 minutes, flushed each minute: folded a slice a flush, every answer exact at every step', async () => {
  process.env['TZ'] = 'Europe/Berlin';
  const file = path.join(dir, 'paced.sqlite');
  let store = open(file);
  const H = bucketStart(new Date('2026-11-17T15:00:00Z').getTime(), '1h');
  const hosts = Array.from({ length: 2000 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
  let written = 0;
  let slices = 0;
  let restarted = false;
  for (let minute = 0; minute < 70; minute++) {
    const now = H + minute * 60_000 + 30_000;
    const ts = bucketStart(now - 30_000, '5m');
    const rows: UsageDelta[] = hosts.map((host, i) => ({ ts, app: `/usr/bin/app${i % 20}`, iface: '', host, service: '', rx: 1 + (i % 7), tx: 1 }));
    store.write(rows, [], now);
    await store.checkpointer?.next(); // flushes are a minute apart: the checkpoint is done by the next
    written += rows.reduce((n, r) => n + r.rx, 0);
    const m = store.marks();
    if (m['5m'].key > 0) slices++;
    // Asked every way: totals (coarsest fitting table), 5-minute and hourly series, a reader beside it.
    const q = { from: H, to: H + 2 * 3_600_000, by: 'host' as const };
    assert.equal(usage(store, q, now).total.rxBytes, written, `minute ${minute}: totals`);
    for (const resolution of ['5m', '1h'] as const) {
      const got = series(store, { ...q, resolution }).buckets.reduce((n, b) => n + b.values.reduce((k, v) => k + v.rxBytes, 0), 0);
      assert.equal(got, written, `minute ${minute}: ${resolution} series`);
    }
    if (minute % 10 === 7) {
      const ro = HistoryStore.openReadOnly(file);
      assert.ok(ro.ok);
      if (ro.ok) { assert.equal(usage(ro.store, q, now).total.rxBytes, written, `minute ${minute}: a reader`); ro.store.close(); }
    }
    // An engine restart in the middle of a bucket's fold: the journal is read back from the file.
    if (!restarted && m['5m'].key > 0 && minute > 20) {
      store.close();
      store = open(file);
      restarted = true;
      assert.deepEqual(store.marks(), m);
      assert.equal(usage(store, q, now).total.rxBytes, written, 'after the restart');
    }
  }
  assert.ok(restarted, 'restarted mid-fold');
  assert.ok(slices >= 10, `a bucket of 2,000 keys is folded over two flushes or more (${slices} flushes stopped inside a bucket)`);
  // The hour H was written once complete, and rolled into its day; a day on, every table holds it all.
  assert.equal(tableSum(store, '1h') > 0, true);
  store.write([], [], H + 2 * 86_400_000);
  assert.deepEqual(['5m', '1h', '1d', '1mo'].map((r) => tableSum(store, r)), [written, written, written, written]);
  assert.equal((store.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n, 0, 'the journals are empty once all is rolled up');
  store.close();
});

test('WAL checkpoints run on the worker thread: the WAL stays at about one flush, the writer does not checkpoint', async () => {
  const file = path.join(dir, 'wal.sqlite');
  const store = open(file);
  assert.ok(store.checkpointer?.running, 'the checkpoint worker started');
  const t0 = bucketStart(Date.now(), '5m');
  let biggest = 0;
  for (let i = 0; i < 30; i++) {
    const rows: UsageDelta[] = Array.from({ length: 10_000 }, (_, k) => ({ ts: t0, app: 'a', iface: '', host: `h${k}`, service: '', rx: 1000, tx: 1 }));
    store.write(rows, [], t0 + 1000 * i);
    const ck = await store.checkpointer!.next();
    assert.ok(ck && ck.busy === 0 && ck.checkpointed === ck.log, `flush ${i}: every frame checkpointed (${JSON.stringify(ck)})`);
    biggest = Math.max(biggest, fs.statSync(`${file}-wal`).size);
  }
  // One flush of 10,000 keys writes a 240 kB blob and some pages: the WAL starts over after each
  // checkpoint instead of growing to 30 flushes' worth (over 7 MB).
  assert.ok(biggest < 2_000_000, `WAL at most ${biggest} B`);
  assert.equal((store.db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint, 10_000, 'the writer only as a backstop');
  store.close();
});

test('a KeyRef saves the lookup across flushes, and an id from a rolled-back flush is never trusted', () => {
  const store = open(path.join(dir, 'refs.sqlite'));
  const t = bucketStart(Date.now(), '5m');
  const d = (host: string, rx: number, ref: KeyRef, ts = t): UsageDelta => ({ ts, app: 'a', iface: '', host, service: '', rx, tx: 0, ref });
  const idOf = (host: string) => (store.db.prepare("SELECT id FROM dims WHERE host = ?").get(host) as { id: number } | undefined)?.id;
  const [ra, rb, rc] = [{}, {}, {}] as KeyRef[];
  store.write([d('a', 1, ra!)], [], t);
  assert.equal(ra!.id, idOf('a'));
  // b gets an id inside a flush that fails (a bucket start that is no number: the journal refuses it)...
  assert.throws(() => store.write([d('b', 10, rb!), d('x', 1, {}, Number.NaN)], [], t));
  assert.equal(idOf('b'), undefined, 'rolled back');
  // ...which the next new key takes; b, asked again with its old ref, is looked up anew.
  store.write([d('c', 100, rc!)], [], t);
  store.write([d('b', 10, rb!), d('a', 1, ra!)], [], t);
  assert.notEqual(idOf('b'), idOf('c'));
  const byHost = usage(store, { from: t, to: t + 300_000, by: 'host' }, t).rows.map((r) => [r.key, r.rxBytes]);
  assert.deepEqual(byHost, [['c', 100], ['b', 10], ['a', 2]]);
  store.close();
});

test('close() waits for a checkpoint in progress: the folder can go at once and stays gone (100 times)', async () => {
  // The last connection to close a WAL database checkpoints it and deletes its WAL: a worker still
  // checkpointing after the store closed re-created files in a folder being removed (ENOTEMPTY on CI).
  let left = 0;
  for (let i = 0; i < 100; i++) {
    const d = fs.mkdtempSync(path.join(dir, 'gone-'));
    const store = open(path.join(d, 'h.sqlite'));
    const t = Date.now();
    store.write(Array.from({ length: 3000 }, (_, k) => ({ ts: t, app: 'a', iface: '', host: `h${k}`, service: '', rx: 1, tx: 1 })), [], t);
    store.close();
    fs.rmSync(d, { recursive: true });
    await new Promise((r) => setTimeout(r, i % 3));
    if (fs.existsSync(d)) { left++; fs.rmSync(d, { recursive: true, force: true, maxRetries: 5 }); }
  }
  assert.equal(left, 0);
});

test('the history tier under a flood of new hosts: keys held between flushes stay bounded; rows past the bound are dropped and said so', async () => {
  const { HistoryTier } = await import('../../../../electron/collector/engine/history-tier.ts');
  const { StatusBoard } = await import('../../../../electron/collector/engine/tier.ts');
  const { defaultConfig } = await import('../../../../shared/index.ts');
  const file = path.join(dir, 'flood.sqlite');
  let now = bucketStart(Date.now(), '5m') + 30_000;
  const status = new StatusBoard();
  const t = new HistoryTier({ sources: undefined as never, os: { now: () => now } as never, config: () => defaultConfig(), status }, file);
  let sent = 0;
  for (let minute = 0; minute < 4; minute++) {
    // 40,000 hosts never seen before each minute, 160,000 in all (the first window spans two buckets: 80,000 rows).
    t.addFlows(Array.from({ length: 40_000 }, (_, i) => ({ app: '/usr/bin/crawler', host: `h${minute}-${i}`, service: '', rx: 10, tx: 1 })), 60_000, now);
    sent += 40_000 * 10;
    t.flush();
    assert.equal(status.get('history').state, 'ok', JSON.stringify(status.get('history')));
    assert.ok(t.pendingKeys <= 100_000, `${t.pendingKeys} keys held`);
    now += 60_000;
  }
  // More than 100,000 rows at once are dropped, and said so.
  t.addFlows(Array.from({ length: 120_000 }, (_, i) => ({ app: '/usr/bin/crawler', host: `x-${i}`, service: '', rx: 10, tx: 1 })), 60_000, now);
  t.flush();
  assert.equal(status.get('history').state, 'unavailable');
  assert.match(JSON.stringify(status.get('history')), /20000 rows dropped: more than 100,000 were waiting to be written/);
  sent += 100_000 * 10; // 120,000 rows, the last 100,000 kept
  const a = t.query({ kind: 'totals', from: now - 3_600_000, to: now, by: 'host' });
  assert.ok(a.kind === 'totals');
  assert.equal(a.total.rxBytes, sent);
  t.close();
});
