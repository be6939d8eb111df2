// The usage history against real traffic (issue 15): an engine in this process with the real Linux
// sources and a fake clock (the injected OsIO's now), a known transfer between two processes of ours
// across two 5-minute boundaries, the database on disk, and a restart.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Engine } from '../../electron/collector/engine/engine.ts';
import { nodeOs, type OsIO } from '../../electron/collector/os.ts';
import { createLinuxSources } from '../../electron/collector/linux/index.ts';
import { DEFAULT_HELPER } from '../../electron/collector/platform.ts';
import { bucketStart } from '../../electron/collector/history/buckets.ts';
import { HistoryStore } from '../../electron/collector/history/store.ts';
import { ROLL_DELAY_MS } from '../../electron/collector/history/rollup.ts';
import { defaultConfig } from '../../shared/index.ts';
import { nextMessage, peer } from './engine-host.ts';
import { ROOT } from '../helpers.ts';
import { parse } from 'csv-parse/sync';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-history-'));
const db = path.join(dir, 'history.sqlite');
const kids: Array<{ kill(): void }> = [];
after(() => { for (const k of kids) k.kill(); fs.rmSync(dir, { recursive: true, force: true }); });

let fakeNow = 0;
const clock: OsIO = { ...nodeOs, now: () => fakeNow };
const newEngine = () => new Engine({
  sources: createLinuxSources(clock, { helperPath: fs.existsSync(DEFAULT_HELPER) ? DEFAULT_HELPER : null }),
  os: clock, config: { ...defaultConfig(), probes: false }, emit: () => {}, historyPath: db,
});

const MB = 1_000_000;
/** Loopback bytes of our test peers (named nwtest-…) per bucket, read from the database itself. */
function rows(table: string, column: 'rx' | 'tx'): Array<{ ts: number; bytes: number }> {
  const d = new DatabaseSync(db, { readOnly: true });
  try {
    return d.prepare(`SELECT u.ts AS ts, sum(u.${column}) AS bytes FROM ${table} u JOIN apps a ON a.id = u.app
      WHERE a.name LIKE 'nwtest-%' AND u.iface = 'lo' GROUP BY u.ts ORDER BY u.ts`).all() as Array<{ ts: number; bytes: number }>;
  } finally { d.close(); }
}

test('a known transfer across two 5-minute boundaries lands in the right buckets within 1 %, rolls up, survives a restart', async () => {
  const server = await peer<{ port: number }>('sink-server.ts');
  const client = await peer<{ connected: boolean }>('sized-client.ts', [String(server.first.port)]);
  kids.push(server.child, client.child);
  const received = async () => { server.child.send({ type: 'count' }); return (await nextMessage<{ received: number }>(server.child)).received; };

  // 90 s before a 5-minute boundary B1, polls 60 s apart (fake time): the 2nd and the 7th windows straddle B1 and B2.
  // In the past, so that `netwatch usage` (on the real clock) finds it all.
  const B1 = bucketStart(Date.now(), '5m') - 900_000;
  fakeNow = B1 - 90_000;
  let engine = newEngine();
  engine.setVisible(true);
  await engine.pollAll();
  const perWindow = 7 * MB;
  const expected = new Map<number, number>([[B1 - 300_000, 0], [B1, 0], [B1 + 300_000, 0]]);
  for (let w = 1; w <= 7; w++) {
    const before = await received();
    client.child.send({ send: perWindow });
    await nextMessage(client.child);
    while ((await received()) - before < perWindow) await new Promise((r) => setTimeout(r, 20));
    const from = fakeNow;
    fakeNow += 60_000;
    // The part of the window in each bucket, by time.
    for (const b of expected.keys()) {
      const overlap = Math.max(0, Math.min(fakeNow, b + 300_000) - Math.max(from, b));
      expected.set(b, expected.get(b)! + (perWindow * overlap) / 60_000);
    }
    await engine.pollAll();
    if (w === 4) { engine.stop(); engine = newEngine(); engine.setVisible(true); await engine.pollAll(); } // a restart mid-transfer
  }
  // Asked through the engine, as the Usage view and `netwatch usage` ask: by app, loopback counted or not.
  const byApp = engine.queryUsage({ kind: 'totals', from: B1 - 300_000, to: B1 + 600_000, by: 'app', includeLoopback: true });
  assert.ok(byApp.kind === 'totals');
  const sink = byApp.rows.find((r) => r.name === 'nwtest-server')!;
  const sender = byApp.rows.find((r) => r.name === 'nwtest-sized')!;
  assert.ok(Math.abs(sink.rxBytes - 7 * perWindow) <= 7 * perWindow * 0.01, `server rx ${sink.rxBytes}`);
  assert.ok(Math.abs(sender.txBytes - 7 * perWindow) <= 7 * perWindow * 0.01, `client tx ${sender.txBytes}`);
  const external = engine.queryUsage({ kind: 'totals', from: B1 - 300_000, to: B1 + 600_000, by: 'app' });
  assert.ok(external.kind === 'totals' && !external.rows.some((r) => r.name === 'nwtest-server' && r.rxBytes > 0), 'loopback is left out by default');
  const lo = engine.queryUsage({ kind: 'totals', from: B1 - 300_000, to: B1 + 600_000, by: 'interface' });
  assert.ok(lo.kind === 'totals' && lo.rows.find((r) => r.key === 'lo')!.rxBytes >= 7 * perWindow, 'the interface rows count lo itself');
  engine.stop();
  // Buckets closed 2 minutes ago are folded into 5-minute rows; the rest is in the journal (answers add
  // it in, as above); hourly rows are written once the hour is complete. A day on, all rolled up.
  const folded = bucketStart(fakeNow - ROLL_DELAY_MS, '5m');
  assert.deepEqual(rows('usage_5m', 'rx').map((r) => r.ts), [...expected.keys()].filter((b) => b < folded));
  const later = HistoryStore.open(db);
  assert.ok(later.ok);
  if (later.ok) { later.store.write([], [], fakeNow + 86_400_000); later.store.close(); }

  const got = rows('usage_5m', 'rx');
  const at = (ts: number) => got.find((r) => r.ts === ts)?.bytes ?? 0;
  for (const [b, want] of expected) {
    assert.ok(Math.abs(at(b) - want) <= want * 0.01, `bucket ${new Date(b).toISOString()}: ${at(b)} B, want ${want} (all: ${JSON.stringify(got)})`);
  }
  // The sink server received 49 MB; hourly, daily and monthly rows hold the same total.
  const sum = (t: string) => rows(t, 'rx').reduce((n, r) => n + r.bytes, 0);
  const total5 = sum('usage_5m');
  assert.ok(Math.abs(total5 - 7 * perWindow) <= 7 * perWindow * 0.01, `5-minute total ${total5}`);
  for (const t of ['usage_1h', 'usage_1d', 'usage_1mo']) assert.equal(sum(t), total5, t);
  const d = new DatabaseSync(db, { readOnly: true });
  assert.equal((d.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
  d.close();
});

test('netwatch usage reads the same history beside it: JSON and the table', async () => {
  const run = (args: string[]) => execFileSync(process.execPath, [path.join(ROOT, 'bin/netwatch.js'), 'usage', '--db', db, ...args]).toString();
  const j = JSON.parse(run(['--since', '1h', '--include-loopback', '--json'])) as { rows: Array<{ name: string; rxBytes: number; txBytes: number }>; resolution: string };
  const sink = j.rows.find((r) => r.name === 'nwtest-server');
  assert.ok(sink && Math.abs(sink.rxBytes - 49 * MB) <= 0.49 * MB, JSON.stringify(j.rows));
  assert.equal(j.resolution, '5m');
  const text = run(['--since', '1h', '--include-loopback']);
  assert.match(text, /^last 1h \(since .*\), by app:\n {2}name +received +sent\n/);
  assert.match(text, /nwtest-server +4[89]\.\d MB/);
  assert.match(run(['--by', 'interface', '--since', '1h']), /\n {2}lo +\d/);
  // --csv (issue 16): the same rows as --json, through a real CSV parser, header once.
  const csv = parse(run(['--since', '1h', '--include-loopback', '--csv']), { columns: true }) as Array<Record<string, string>>;
  assert.deepEqual(csv.map((r) => [r['name'], Number(r['rx_bytes']), Number(r['tx_bytes'])]), j.rows.map((r) => [r.name, r.rxBytes, r.txBytes]));
  assert.ok(csv.every((r) => r['by'] === 'app' && r['from'] !== 'from'));
  const bad = spawnSync(process.execPath, [path.join(ROOT, 'bin/netwatch.js'), 'usage', '--db', path.join(dir, 'none.sqlite')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr.toString(), /no history at .*none\.sqlite yet \(the engine writes it once a minute\)/);
});
