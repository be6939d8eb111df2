import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../../../shared/backoff.ts';
import { Supervisor, downReason, type CollectorChild, type SupervisorState } from '../../../shared/supervisor.ts';

test('backoff: 1 s doubling to 30 s while runs keep failing quickly', () => {
  const b = new Backoff();
  assert.deepEqual(Array.from({ length: 8 }, () => b.next(500)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('backoff: a run that lasted a stable minute starts the sequence again', () => {
  const b = new Backoff();
  b.next(100); b.next(100); b.next(100);
  assert.equal(b.next(59_999), 8000);
  assert.equal(b.next(60_000), 1000);
  assert.equal(b.next(10), 2000);
});

/** A child that exits when told to, driven by the test. */
function fakeChild() {
  let exit: (code: number | null, signal: string | null) => void = () => {};
  const posted: unknown[] = [];
  const child: CollectorChild & { die(code: number | null, signal: string | null): void; posted: unknown[]; killed: boolean } = {
    posted, killed: false,
    onMessage() {}, onExit(cb) { exit = cb; }, post(m) { posted.push(m); },
    kill() { this.killed = true; }, die(code, signal) { exit(code, signal); },
  };
  return child;
}

test('supervisor: typed exit reasons, stale while waiting, no restart after stop', () => {
  const children: ReturnType<typeof fakeChild>[] = [];
  const states: SupervisorState[] = [];
  const timers: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  let now = 0;
  const sup = new Supervisor({
    spawn: () => { const c = fakeChild(); children.push(c); return c; },
    schedule: (fn, ms) => { const t = { fn, ms, cancelled: false }; timers.push(t); return { cancel: () => { t.cancelled = true; } }; },
    now: () => now, onMessage: () => {}, onState: (s) => states.push(s),
  });
  sup.start();
  now = 100;
  children[0]!.die(null, 'SIGKILL');
  assert.deepEqual(states.at(-1), { state: 'stale', reason: { kind: 'killed', signal: 'SIGKILL' }, retryInMs: 1000 });
  timers[0]!.fn();
  assert.deepEqual(states.at(-1), { state: 'running', restarts: 1 });
  children[1]!.die(3, null);
  assert.deepEqual(states.at(-1), { state: 'stale', reason: { kind: 'exited', code: 3 }, retryInMs: 2000 });
  sup.stop();
  assert.equal(timers[1]!.cancelled, true, 'the pending restart is cancelled');
  assert.deepEqual(states.at(-1), { state: 'stopped' });
  const fresh = new Supervisor({ spawn: () => { throw new Error('ENOENT'); }, schedule: (fn, ms) => { timers.push({ fn, ms, cancelled: false }); return { cancel() {} }; }, now: () => 0, onMessage: () => {}, onState: (s) => states.push(s) });
  fresh.start();
  assert.deepEqual(states.at(-1), { state: 'stale', reason: { kind: 'spawn-failed', message: 'ENOENT' }, retryInMs: 1000 });
});

test('supervisor: stop tells the collector to stop and kills it; its exit then restarts nothing', () => {
  const children: ReturnType<typeof fakeChild>[] = [];
  let scheduled = 0;
  const sup = new Supervisor({
    spawn: () => { const c = fakeChild(); children.push(c); return c; },
    schedule: () => { scheduled++; return { cancel() {} }; }, now: () => 0, onMessage: () => {}, onState: () => {},
  });
  sup.start();
  sup.stop();
  assert.deepEqual(children[0]!.posted, [{ type: 'stop' }]);
  assert.equal(children[0]!.killed, true);
  children[0]!.die(0, null);
  assert.equal(scheduled, 0);
});

test('a stopped collector is explained in words, the same in the app and the dashboard', async () => {
  const { downReason } = await import('../../../shared/supervisor.ts');
  assert.equal(downReason({ state: 'stale', reason: { kind: 'killed', signal: 'SIGKILL' }, retryInMs: 1000 }, 'engine'), 'engine killed by SIGKILL; restarting in 1 s');
  assert.equal(downReason({ state: 'stale', reason: { kind: 'exited', code: 3 }, retryInMs: 30_000 }, 'collector'), 'collector exited with code 3; restarting in 30 s');
  assert.equal(downReason({ state: 'stale', reason: { kind: 'spawn-failed', message: 'ENOENT' }, retryInMs: 2000 }, 'engine'), 'engine could not start: ENOENT; restarting in 2 s');
  assert.equal(downReason({ state: 'stopped' }, 'collector'), 'collector stopped');
});

test('a hung collector (alive, silent: SIGSTOP) is killed with SIGKILL after 5 silent intervals and restarted, reason hung', () => {
  const children: Array<ReturnType<typeof fakeChild> & { forced?: boolean }> = [];
  const states: SupervisorState[] = [];
  const timers: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  let now = 0;
  let onMsg: (m: unknown) => void = () => {};
  const sup = new Supervisor({
    spawn: () => {
      const c = fakeChild() as ReturnType<typeof fakeChild> & { forced?: boolean };
      c.onMessage = (cb) => { onMsg = cb; };
      c.kill = (force) => { c.killed = true; c.forced = force === true; };
      children.push(c);
      return c;
    },
    schedule: (fn, ms) => { const t = { fn, ms, cancelled: false }; timers.push(t); return { cancel: () => { t.cancelled = true; } }; },
    now: () => now, onMessage: () => {}, onState: (s) => states.push(s),
    liveness: { intervalMs: () => 2000 },
  });
  const tick = () => { const t = timers.filter((x) => !x.cancelled && x.ms === 2000).at(-1)!; t.cancelled = true; now += 2000; t.fn(); };
  sup.start();
  // Snapshots every interval keep it alive however long it runs.
  for (let i = 0; i < 20; i++) { onMsg({ type: 'snapshot', snapshot: {} }); tick(); }
  assert.equal(children[0]!.killed, false);
  // Then it stops sending: 4 silent checks are not yet enough, the 5th (10 s) is.
  onMsg({ type: 'snapshot', snapshot: {} });
  for (let i = 0; i < 4; i++) tick();
  assert.equal(children[0]!.killed, false);
  tick();
  assert.equal(children[0]!.forced, true, 'SIGKILL: a stopped process never acts on SIGTERM');
  assert.deepEqual(states.at(-1), { state: 'stale', reason: { kind: 'hung', silentMs: 10_000 }, retryInMs: 1000 });
  assert.equal(downReason(states.at(-1) as Exclude<SupervisorState, { state: 'running' }>, 'engine'), 'engine hung (no snapshot for 10 s), killed; restarting in 1 s');
  // Its exit, when the kill lands, restarts nothing more; the scheduled restart does.
  children[0]!.die(null, 'SIGKILL');
  timers.find((t) => t.ms === 1000 && !t.cancelled)!.fn();
  assert.equal(children.length, 2);
  assert.deepEqual(states.at(-1), { state: 'running', restarts: 1 });
});

test('a spawn that fails late (Node emits "error", never "exit": EMFILE at the fd limit) is spawn-failed and retried', () => {
  const states: SupervisorState[] = [];
  const timers: Array<() => void> = [];
  let fail: (e: Error) => void = () => {};
  let spawned = 0;
  const sup = new Supervisor({
    spawn: () => { spawned++; return { ...fakeChild(), onError: (cb) => { fail = cb; } }; },
    schedule: (fn) => { timers.push(fn); return { cancel() {} }; }, now: () => 0, onMessage: () => {}, onState: (s) => states.push(s),
  });
  sup.start();
  fail(new Error('spawn EMFILE'));
  assert.deepEqual(states.at(-1), { state: 'stale', reason: { kind: 'spawn-failed', message: 'spawn EMFILE' }, retryInMs: 1000 });
  timers[0]!();
  assert.equal(spawned, 2);
});

test('a paused collector (silent by request) is not taken for a hung one; after resume silence counts again', () => {
  let now = 0;
  let paused = false;
  let killed = 0;
  let onMsg: (m: unknown) => void = () => {};
  const timers: Array<{ fn: () => void; cancelled: boolean }> = [];
  const sup = new Supervisor({
    spawn: () => ({ onMessage: (cb) => { onMsg = cb; }, onExit: () => {}, post: () => {}, kill: () => { killed++; } }),
    schedule: (fn) => { const t = { fn, cancelled: false }; timers.push(t); return { cancel: () => { t.cancelled = true; } }; },
    now: () => now, onMessage: () => {}, onState: () => {},
    liveness: { intervalMs: () => 2000, paused: () => paused },
  });
  const tick = () => { const t = timers.filter((x) => !x.cancelled).at(-1)!; t.cancelled = true; now += 2000; t.fn(); };
  sup.start();
  onMsg({ type: 'snapshot', snapshot: {} });
  paused = true;
  for (let i = 0; i < 50; i++) tick(); // 100 s paused
  assert.equal(killed, 0);
  paused = false;
  for (let i = 0; i < 4; i++) tick();
  assert.equal(killed, 0, 'silence is counted from the resume');
  tick();
  assert.equal(killed, 1);
});
