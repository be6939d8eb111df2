// Where `netwatch serve` gets snapshots: the live engine in a supervised child process, or a recording
// played back. Both answer connection queries, so the dashboard cannot tell them apart.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  issuesText, queryConnections, SnapshotSchema,
  type Connection, type ConnectionPage, type ConnectionQuery, type EngineConfigPatch, type EngineLink, type EngineMessage, type Snapshot,
  type UsageAnswer, type UsageQuery,
} from '../../../shared/index.ts';
import { HistoryStore } from '../history/store.ts';
import { answer } from '../history/query.ts';
import { IconCache } from '../history/icons.ts';
import { Supervisor, downReason, type SupervisorState } from '../../../shared/supervisor.ts';
import type { Backoff } from '../../../shared/backoff.ts';
import { PendingQueries, type Timers } from '../../../shared/requests.ts';
import { ENGINE_EXEC_ARGV } from '../../../shared/engine-runtime.ts';

export interface Feed {
  onSnapshot(cb: (s: Snapshot) => void): void;
  onLink(cb: (l: EngineLink) => void): void;
  query(q: ConnectionQuery): Promise<ConnectionPage>;
  /** The usage history: the engine's answer, or a recorded history database's in a replay. */
  usage(q: UsageQuery): Promise<UsageAnswer>;
  /** Whether any dashboard is open (the engine polls connections faster then). */
  setVisible(v: boolean): void;
  setConfig(patch: EngineConfigPatch): void;
  /** The engine process, for `GET /api/status`; null in replay or while restarting. */
  enginePid(): number | null;
  /** Restarts so far (0 in replay). */
  restarts(): number;
  stop(): void;
}

/** The collector entry beside this module: TypeScript sources under Node 24, or the esbuild bundle in dist/. */
export function engineEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? path.join(path.dirname(here), '..', 'main.ts') : path.join(path.dirname(here), 'main.js');
}

export const NODE_TIMERS: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) };

/** `backoff`: the restart schedule (tests shorten it; the default is 1 s doubling to 30 s). */
export function liveFeed(config: EngineConfigPatch, opts: { backoff?: Backoff; historyPath?: string | null } = {}): Feed {
  const snaps: Array<(s: Snapshot) => void> = [];
  const links: Array<(l: EngineLink) => void> = [];
  let pid: number | null = null;
  let link: EngineLink = { state: 'down', reason: 'engine starting' };
  let visible = false;
  let current = config;
  let restarts = 0;
  const sup = new Supervisor({
    spawn: () => {
      const child = fork(engineEntry(), [], {
        execArgv: [...ENGINE_EXEC_ARGV], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        env: { ...process.env, NETWATCH_CONFIG: JSON.stringify(current), NETWATCH_VISIBLE: visible ? '1' : '0', NETWATCH_HISTORY: opts.historyPath ?? '' },
      });
      pid = child.pid ?? null;
      return {
        onMessage: (cb) => child.on('message', cb),
        onExit: (cb) => child.on('exit', (code, signal) => { pid = null; cb(code, signal); }),
        // A spawn that failed late (EMFILE at the fd limit, EAGAIN) has no pid and never exits: without
        // this listener the 'error' event was thrown and ended the server. Errors of a running child
        // (a failed kill or send) leave its exit to report it.
        onError: (cb) => child.on('error', (e) => {
          if (child.pid === undefined) { pid = null; cb(e); } else console.error(`netwatch serve: engine ${child.pid}: ${e.message}`);
        }),
        // The callback takes send's errors (EPIPE to an engine that just died), which would otherwise
        // be emitted as 'error'; the exit that follows restarts it.
        post: (m) => { if (child.connected) child.send(m as object, () => {}); },
        kill: (force) => { child.kill(force ? 'SIGKILL' : 'SIGTERM'); },
      };
    },
    schedule: (fn, ms) => { const t = setTimeout(fn, ms); return { cancel: () => clearTimeout(t) }; },
    now: () => Date.now(),
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
    // No snapshot for 5 intervals (and 10 s) → killed and restarted, reason `hung`.
    liveness: { intervalMs: () => current.intervalMs ?? 1000 },
    onMessage: (m: EngineMessage) => {
      if (m.type === 'snapshot') for (const cb of snaps) cb(m.snapshot);
      else if (queries.answer(m)) return;
      else if (m.type === 'rejected') console.error(`netwatch serve: engine rejected a message: ${m.reason}`);
    },
    onState: (s: SupervisorState) => {
      if (s.state === 'running') restarts = s.restarts;
      if (s.state !== 'running') queries.failAll('the engine stopped');
      link = s.state === 'running' ? { state: 'up' } : { state: 'down', reason: downReason(s, 'engine') };
      for (const cb of links) cb(link);
    },
  });
  const queries = new PendingQueries((m) => sup.send(m), NODE_TIMERS);
  sup.start();
  return {
    onSnapshot: (cb) => { snaps.push(cb); },
    // Late subscribers hear the current state at once (the first 'running' comes before any listener).
    onLink: (cb) => { links.push(cb); cb(link); },
    query: (query) => queries.ask(query),
    usage: (query) => queries.askUsage(query),
    setVisible: (v) => { visible = v; sup.send({ type: 'set-visibility', visible: v }); },
    setConfig: (patch) => { current = { ...current, ...patch }; sup.send({ type: 'set-config', config: patch }); },
    enginePid: () => pid,
    restarts: () => restarts,
    stop: () => { queries.failAll('stopping'); sup.stop(); },
  };
}

/**
 * Plays a `netwatch record` file in a loop at the pace it was recorded (each line's `intervalMs`).
 * Snapshots with `connectionsOmitted` reuse the last list, as a live host would. Lines that do not
 * validate are skipped, never fatal: a recording cut short by a crash still plays.
 */
export function replayFeed(file: string, historyPath: string | null = null): Feed {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const snaps: Array<(s: Snapshot) => void> = [];
  let rows: Connection[] = [];
  let rowsTs: number | null = null;
  let i = 0;
  let timer: NodeJS.Timeout | null = null;
  const icons = new IconCache();
  const feed: Feed = {
    onSnapshot: (cb: (s: Snapshot) => void) => { snaps.push(cb); },
    onLink: (cb: (l: EngineLink) => void) => { cb({ state: 'up' }); },
    query: async (q: ConnectionQuery) => queryConnections(rows, q, rowsTs),
    // A recorded history database (--db) answers as the engine would, as of the newest bucket in it.
    usage: async (q: UsageQuery): Promise<UsageAnswer> => {
      if (!historyPath) return { kind: 'error', error: 'no history in a replay (give one with --db FILE)' };
      const r = HistoryStore.openReadOnly(historyPath);
      if (!r.ok) return { kind: 'error', error: r.reason };
      try {
        return answer(r.store, q, q.to, icons);
      } finally { r.store.close(); }
    },
    setVisible: () => {},
    setConfig: () => {},
    enginePid: () => null,
    restarts: () => 0,
    stop: () => { if (timer) clearTimeout(timer); timer = null; },
  };
  const play = () => {
    let snap: Snapshot | null = null;
    for (let tries = 0; tries < lines.length && !snap; tries++) {
      const line = lines[i]!;
      i = (i + 1) % lines.length;
      try {
        const parsed = SnapshotSchema.safeParse(JSON.parse(line));
        if (parsed.success) snap = parsed.data;
      } catch { /* a torn line: skip it */ }
    }
    if (!snap) { console.error(`netwatch serve --replay: no valid snapshot in ${file}`); return; }
    if (!snap.connectionsOmitted) { rows = snap.connections; rowsTs = snap.connectionsTs; }
    for (const cb of snaps) cb(snap);
    timer = setTimeout(play, snap.intervalMs);
  };
  if (lines.length === 0) throw new Error(`${file} holds no snapshots`);
  // Refuse at start a file that would play nothing, saying why its first line is not a snapshot.
  if (!lines.some((l) => { try { return SnapshotSchema.safeParse(JSON.parse(l)).success; } catch { return false; } })) {
    let reason: string;
    try { const r = SnapshotSchema.safeParse(JSON.parse(lines[0]!)); reason = r.success ? '' : issuesText(r.error); } catch (e) { reason = (e as Error).message; }
    const issues = reason.split('; ');
    throw new Error(`no valid snapshot in ${file} (none of ${lines.length} lines; line 1: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''})`);
  }
  timer = setTimeout(play, 0);
  return feed;
}
