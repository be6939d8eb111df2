// WAL checkpoints off the engine's thread. SQLite checkpoints by itself inside the COMMIT that takes the
// WAL past 1,000 pages: it copies them into the database and syncs both files, which made one flush in
// about eight take 10–15 ms more (measured, bench/history.bench.ts). Instead a worker thread with a
// connection of its own runs a PASSIVE checkpoint after each flush: PASSIVE never waits for the writer or
// for readers, and never blocks them (sqlite.org/c3ref/wal_checkpoint_v2).
// Should the worker not start or fail, the writer checkpoints by itself again.
import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';

/** The worker's code (plain JavaScript: no file to find once the engine is bundled). */
const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.file);
const st = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (m) => {
  if (m === 'stop') { db.close(); parentPort.close(); return; }
  const t0 = performance.now();
  try {
    const r = st.get();
    parentPort.postMessage({ busy: r.busy, log: r.log, checkpointed: r.checkpointed, ms: performance.now() - t0 });
  } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
});
`;

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
  /** The last checkpoint's figures, or why the writer checkpoints by itself. */
  last: CheckpointResult | { error: string } | null = null;

  constructor(db: DatabaseSync, file: string) {
    this.#db = db;
    try {
      const w = new Worker(CODE, { eval: true, workerData: { file } });
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

  stop(): void {
    const w = this.#worker;
    this.#worker = null;
    w?.postMessage('stop');
    for (const f of this.#waiting.splice(0)) f(null);
  }
}
