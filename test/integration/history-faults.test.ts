// The usage history under faults (issue 15): kill -9 during writes, a full disk, a read-only folder,
// two engines on one database. Real files, real SQLite, real mounts (CI runs as root).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { ROOT } from '../helpers.ts';
import { HistoryStore } from '../../electron/collector/history/store.ts';
import { usage } from '../../electron/collector/history/query.ts';
import { HistoryTier } from '../../electron/collector/engine/history-tier.ts';
import { StatusBoard, type TierEnv } from '../../electron/collector/engine/tier.ts';
import { Engine } from '../../electron/collector/engine/engine.ts';
import { nodeOs } from '../../electron/collector/os.ts';
import { createLinuxSources } from '../../electron/collector/linux/index.ts';
import { defaultConfig } from '../../shared/index.ts';

const WRITER = path.join(ROOT, 'test/integration/peers/history-writer.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-hist-faults-'));
const mounts: string[] = [];
after(() => {
  for (const m of mounts) { try { execFileSync('umount', ['-l', m]); } catch { /* not mounted */ } }
  fs.rmSync(dir, { recursive: true, force: true });
});
const canMount = (() => { try { const m = fs.mkdtempSync(path.join(dir, 'probe-')); execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', m]); execFileSync('umount', [m]); return true; } catch { return false; } })();
const noMount = canMount ? false : 'mounting a tmpfs needs root (CI runs as root)';

/** Every byte the database holds (tables and journals), as a reader asks; the file checked whole first. */
const total = (file: string) => {
  const d = new DatabaseSync(file, { readOnly: true });
  try { assert.equal((d.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok'); } finally { d.close(); }
  const r = HistoryStore.openReadOnly(file);
  if (!r.ok) return 0; // killed before its first commit created the schema
  try { return usage(r.store, { from: 0, to: Date.UTC(2100, 0), by: 'host' }, Date.now()).total.rxBytes; } finally { r.store.close(); }
};

test('kill -9 during writes, 50 times: the database opens clean each time and keeps every committed write', async () => {
  const file = path.join(dir, 'killed.sqlite');
  let kills = 0;
  for (let i = 0; i < 50; i++) {
    const child = spawn(process.execPath, [WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = 0;
    const rl = readline.createInterface({ input: child.stdout! });
    const first = new Promise((r) => rl.once('line', r));
    rl.on('line', (l) => { const m = /^committed (\d+)$/.exec(l); if (m) committed = Number(m[1]); });
    // After its first commit, let it write for 0–60 ms more (none to many commits), then SIGKILL mid-write.
    await first;
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 60)));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    kills++;
    assert.ok(total(file) >= committed, `run ${i}: ${total(file)} B in the database, ${committed} B acknowledged`);
  }
  assert.equal(kills, 50);
  // A stale lock from a killed writer does not keep the next one out.
  const r = HistoryStore.open(file);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  r.store.close();
});

test('two engines on one database: the second is told who holds it', async () => {
  const file = path.join(dir, 'shared.sqlite');
  const holder = spawn(process.execPath, [WRITER, file, 'hold'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((r) => readline.createInterface({ input: holder.stdout! }).once('line', () => r()));
    const r = HistoryStore.open(file);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, `in use by another NetWatch engine (pid ${holder.pid}): one writes the history at a time; this one shows live data only`);
    // Reading beside the writer is fine (netwatch usage).
    const ro = HistoryStore.openReadOnly(file);
    assert.ok(ro.ok);
    if (ro.ok) ro.store.close();
  } finally { holder.kill('SIGKILL'); }
});

/** A history tier over a fake tier environment with the given clock. */
function tier(file: string, now: () => number): { t: HistoryTier; status: StatusBoard } {
  const status = new StatusBoard();
  const env = { sources: undefined as never, os: { ...nodeOs, now }, config: () => defaultConfig(), status } satisfies TierEnv;
  return { t: new HistoryTier(env, file), status };
}
const many = (t: HistoryTier, now: number, n: number) => {
  const deltas = new Map(Array.from({ length: n }, (_, i) => [`veth${i}`, { rx: 1000, tx: 1000, fromTs: now - 1000 }] as const));
  t.addInterfaces(deltas, now);
};

test('a full disk: the flush fails with "disk full", rows stay in memory, and land once there is room', { skip: noMount }, () => {
  const m = fs.mkdtempSync(path.join(dir, 'full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', m]);
  mounts.push(m);
  const file = path.join(m, 'history.sqlite');
  let now = Date.UTC(2026, 10, 17, 12);
  const { t, status } = tier(file, () => now);
  t.flush(); // opens: the empty schema fits
  for (let i = 0; i < 40; i++) { many(t, now, 100); now += 300_000; }
  t.flush();
  const st = status.get('history');
  assert.equal(st.state, 'error');
  assert.match(st.state === 'error' ? st.message : '', /^disk full: .*; 4000 rows kept in memory, retried in 60 s$/);
  execFileSync('mount', ['-o', 'remount,size=16m', m]);
  t.flush();
  assert.deepEqual(status.get('history'), { state: 'ok' });
  t.close();
  const d = new DatabaseSync(file, { readOnly: true });
  assert.equal((d.prepare("SELECT sum(rx) AS rx FROM usage_5m WHERE app = ''").get() as { rx: number }).rx, 40 * 100 * 1000, 'nothing lost');
  d.close();
});

test('a read-only folder: history unavailable with the reason; the engine goes on with live data', { skip: noMount }, async () => {
  const m = fs.mkdtempSync(path.join(dir, 'ro-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', m]);
  mounts.push(m);
  const engine = new Engine({ sources: createLinuxSources(nodeOs, { helperPath: null }), os: nodeOs, config: { ...defaultConfig(), probes: false }, emit: () => {}, historyPath: path.join(m, 'history.sqlite') });
  await engine.pollAll();
  const answer = engine.queryUsage({ kind: 'totals', from: 0, to: Date.now(), by: 'app' });
  const snap = engine.snapshot();
  engine.stop();
  assert.match(answer.kind === 'error' ? answer.error : '', /^history unavailable: cannot write .*: permission denied \(EROFS\)$/);
  assert.match(JSON.stringify(snap.sources.history), /cannot write .*: permission denied \(EROFS\)/);
  assert.ok(snap.interfaces.some((i) => i.name === 'lo'), 'live data still there');
});
