// 100 engine SIGKILLs in a row under `netwatch serve`'s own server and feed (in this process, with the
// restart backoff shortened to 20–100 ms so it takes minutes, not an hour): the server keeps answering,
// the engine comes back each time, and no nw-sockdiag helper outlives its engine. Each kill used to
// leave one `nw-sockdiag --destroy` alive until the next TCP close (17 at once were seen).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Backoff } from '../../shared/backoff.ts';
import { liveFeed } from '../../electron/collector/serve/feed.ts';
import { createServer, defaultStaticDir } from '../../electron/collector/serve/server.ts';
import { DEFAULT_HELPER } from '../../electron/collector/platform.ts';

const KILLS = 100;
const TAG = `NW_KILL_TEST=${process.pid}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Our live nw-sockdiag helpers (their environment carries TAG, inherited from this process) and their
 * parents. A zombie has exited (here PID 1 does not reap orphans), so it is not counted.
 */
function helpers(): Array<{ pid: number; ppid: number }> {
  const out: Array<{ pid: number; ppid: number }> = [];
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() !== 'nw-sockdiag') continue;
      if (!fs.readFileSync(`/proc/${p}/environ`, 'utf8').split('\0').includes(TAG)) continue;
      const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const [state, ppid] = f.slice(f.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') out.push({ pid: Number(p), ppid: Number(ppid) });
    } catch { /* exited meanwhile */ }
  }
  return out;
}

test(`${KILLS} engine kills: the server answers throughout, restarts the engine each time, no orphaned helpers`, { timeout: 600_000 }, async (t) => {
  if (!fs.existsSync(DEFAULT_HELPER)) return t.skip('nw-sockdiag not built');
  process.env['NW_KILL_TEST'] = String(process.pid);
  const errors: unknown[] = [];
  const onError = (e: unknown) => errors.push(e);
  process.on('uncaughtException', onError);
  const feed = liveFeed({ probes: false, intervalMs: 250, connectionsVisibleMs: 500 }, { backoff: new Backoff({ initialMs: 20, maxMs: 100, stableMs: 60_000 }) });
  let snapshots = 0;
  feed.onSnapshot(() => { snapshots++; });
  const server = createServer({ host: '127.0.0.1', port: 0, token: null, staticDir: defaultStaticDir(), feed });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const status = async () => (await fetch(`${base}api/status`)).json() as Promise<{ enginePid: number | null; link: { state: string }; restarts: number }>;
  const seen = new Set<number>();
  let orphans = 0;
  try {
    // A stream keeps the engine "visible": it polls connections, so its --serve helper runs too.
    const stream = await fetch(`${base}api/stream`);
    for (let i = 0; i < KILLS; i++) {
      let pid: number | null = null;
      // Up, a new process, with both of its helpers started.
      for (let tries = 0; tries < 200; tries++) {
        const st = await status();
        pid = st.enginePid;
        if (st.link.state === 'up' && pid !== null && !seen.has(pid) && helpers().filter((h) => h.ppid === pid).length >= 2) break;
        pid = null;
        await sleep(50);
      }
      assert.ok(pid !== null, `engine ${i + 1} came up with its helpers`);
      seen.add(pid);
      const mine = helpers().filter((h) => h.ppid === pid).map((h) => h.pid);
      process.kill(pid, 'SIGKILL');
      // Its helpers go with it (PR_SET_PDEATHSIG: at once); give them a second, then count survivors.
      let alive = mine;
      for (let w = 0; w < 20 && alive.length; w++) { await sleep(50); const now = new Set(helpers().map((h) => h.pid)); alive = alive.filter((h) => now.has(h)); }
      orphans += alive.length;
    }
    await stream.body?.cancel();
    let st = await status();
    for (let tries = 0; tries < 100 && st.link.state !== 'up'; tries++) { await sleep(50); st = await status(); }
    assert.equal(st.link.state, 'up');
    assert.equal(st.restarts, KILLS);
    const before = snapshots;
    for (let tries = 0; tries < 100 && snapshots === before; tries++) await sleep(50);
    assert.ok(snapshots > before, 'snapshots resume after the last kill');
    // Every helper alive now belongs to the one running engine.
    const strays = helpers().filter((h) => h.ppid !== st.enginePid);
    t.diagnostic(`${KILLS} kills, ${seen.size} engines, ${snapshots} snapshots; helpers alive 1 s after their engine was killed: ${orphans}; strays at the end: ${strays.length}`);
    assert.equal(orphans, 0, 'helpers outlived their engine');
    assert.deepEqual(strays, []);
  } finally {
    await new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
    process.off('uncaughtException', onError);
  }
  assert.deepEqual(errors, []);
  await sleep(500);
  assert.deepEqual(helpers(), [], 'no helper left once the server stopped');
});
