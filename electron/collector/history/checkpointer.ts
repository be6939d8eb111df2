// WAL checkpoints off the engine's thread. SQLite checkpoints by itself inside the COMMIT that takes the
// WAL past 1,000 pages: it copies them into the database and syncs both files, which made one flush in
// about eight take 10–15 ms more (measured, bench/history.bench.ts). Instead a worker thread with a
// connection of its own runs a PASSIVE checkpoint after each flush: PASSIVE never waits for the writer or
// for readers, and never blocks them (sqlite.org/c3ref/wal_checkpoint_v2).
// Should the worker not start or fail, the writer checkpoints by itself again.
import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';

/**
 * The worker's code (plain JavaScript: no file to find once the engine is bundled). It opens its
 * connection for each checkpoint and closes it after, so it never holds the database while idle; `flags`
 * ([busy, stopped], shared memory) let the writer's close() wait for a checkpoint in progress — the last
 * connection to close a WAL database checkpoints it and deletes the WAL, which must not happen after the
 * store has closed (its folder may be gone by then).
 */
const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const flags = new Int32Array(workerData.flags);
parentPort.on('message', (m) => {
  if (m === 'stop') { parentPort.close(); return; }
  Atomics.store(flags, 0, 1);
  let db;
  try {
    if (Atomics.load(flags, 1) === 1) return;
    const t0 = performance.now();
    db = new DatabaseSync(workerData.file);
    const r = db.prepare('PRAGMA wal_checkpoint(PASSIVE)').get();
    parentPort.postMessage({ busy: r.busy, log: r.log, checkpointed: r.checkpointed, ms: performance.now() - t0 });
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e) });
  } finally {
    try { if (db) db.close(); } catch {}
    Atomics.store(flags, 0, 0);
    Atomics.notify(flags, 0);
  }
});
`;
/** How long close() waits for a checkpoint in progress (ms); they take 1–15 ms. */
const STOP_WAIT_MS = 2000;

export interface CheckpointResult { busy: number; log: number; checkpointed: number; ms: number }
/** SQLite's own default: a checkpoint when the WAL passes 1,000 pages. */
const AUTO_PAGES = 1000;
/**
 * With the worker, the writer still checkpoints by itself past 10,000 pages (40 MB): should checkpoints
 * on the worker stop getting through, the WAL does not grow without end.
 */
const BACKSTOP_PAGES = 10_000;

export class Checkpointer {
  #worker: Worker | null = null;
  #db: DatabaseSync;
  #waiting: Array<(r: CheckpointResult | null) => void> = [];
  /** [busy, stopped], shared with the worker. */
  #flags = new Int32Array(new SharedArrayBuffer(8));
  /** The last checkpoint's figures, or why the writer checkpoints by itself. */
  last: CheckpointResult | { error: string } | null = null;

  constructor(db: DatabaseSync, file: string) {
    this.#db = db;
    try {
      const w = new Worker(CODE, { eval: true, workerData: { file, flags: this.#flags.buffer } });
      w.on('message', (m: CheckpointResult | { error: string }) => {
        this.last = m;
        if ('error' in m) this.#fallBack(m.error);
        for (const f of this.#waiting.splice(0)) f('error' in m ? null : m);
      });
      w.on('error', (e) => this.#fallBack(e.message));
      w.on('exit', () => { if (this.#worker) this.#fallBack('the checkpoint worker exited'); });
      w.unref(); // after the listeners: a listener added later would hold the process open
      db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      this.#worker = w;
    } catch (e) {
      this.#fallBack((e as Error).message);
    }
  }

  /** After a commit: the worker copies the WAL into the database (the next write then starts the WAL over). */
  request(): void { this.#worker?.postMessage('run'); }

  /** Resolves with the next checkpoint's figures (null when there is no worker): for tests and the bench. */
  next(): Promise<CheckpointResult | null> {
    const w = this.#worker;
    if (!w) return Promise.resolve(null);
    w.ref(); // someone waits: the process stays until the answer
    return new Promise((resolve) => this.#waiting.push((r) => { w.unref(); resolve(r); }));
  }

  get running(): boolean { return this.#worker !== null; }

  #fallBack(why: string): void {
    this.last = { error: why };
    const w = this.#worker;
    this.#worker = null;
    void w?.terminate();
    try { this.#db.exec(`PRAGMA wal_autocheckpoint = ${AUTO_PAGES}`); } catch { /* closed */ }
    for (const f of this.#waiting.splice(0)) f(null);
  }

  /** Before the writer closes: no checkpoint starts after this, and one in progress has finished. */
  stop(): void {
    const w = this.#worker;
    this.#worker = null;
    // Stopped first, busy read after (both sequentially consistent): a checkpoint either sees stopped and
    // does nothing, or is seen busy and waited for.
    Atomics.store(this.#flags, 1, 1);
    const until = Date.now() + STOP_WAIT_MS;
    while (Atomics.load(this.#flags, 0) === 1 && Date.now() < until) Atomics.wait(this.#flags, 0, 1, 50);
    w?.postMessage('stop');
    for (const f of this.#waiting.splice(0)) f(null);
  }
}
