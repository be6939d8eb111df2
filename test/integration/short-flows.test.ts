// 50 connections of 200 KB, all opened and closed between two connection polls: what the engine
// counts when it follows kernel socket-destroy events, and what it says when it does not.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { EngineHost, nextMessage, peer } from './engine-host.ts';
import type { EngineConfigPatch, Snapshot } from '../../shared/index.ts';
import type { ForkOptions } from 'node:child_process';
import { unprivilegedProblem } from '../helpers.ts';

const COUNT = 50;
const SIZE = 200_000;
const TOTAL = COUNT * SIZE;
const isRoot = process.getuid?.() === 0;

const cleanup: Array<() => Promise<unknown> | void> = [];
after(async () => { for (const c of cleanup.reverse()) await c(); });

interface Burst { before: Snapshot; burstPoll: Snapshot; after: Snapshot; port: number; serverPid: number; burstPid: number }

/** Runs the burst strictly between two polls (5 s apart) and returns the polls around it. */
async function burstBetweenPolls(config: EngineConfigPatch, fork: ForkOptions = {}): Promise<Burst> {
  const engine = new EngineHost({ probes: false, intervalMs: 500, connectionsVisibleMs: 5000, ...config }, fork);
  cleanup.push(() => engine.stop());
  const server = await peer<{ port: number }>('sink-server.ts');
  cleanup.push(() => { server.child.kill(); });
  const burst = await peer<{ ready: boolean }>('burst-client.ts', [String(server.first.port), String(COUNT), String(SIZE)]);
  cleanup.push(() => { burst.child.kill(); });
  // Let the engine see the listener and settle its destroy-event feed.
  let before = await engine.nextPoll(null);
  before = await engine.nextPoll(before.connectionsTs);
  const startedAt = Date.now();
  burst.child.send({ go: true });
  const done = await nextMessage<{ sent: number; ms: number }>(burst.child);
  const doneAt = Date.now();
  const afterPoll = await engine.nextPoll(before.connectionsTs);
  assert.ok(before.connectionsTs! < startedAt && afterPoll.connectionsTs! > doneAt,
    `the burst (${done.ms.toFixed(0)} ms) fell between two polls`);
  // One more poll: destroy events that raced the dump are counted there.
  const settled = await engine.nextPoll(afterPoll.connectionsTs);
  return { before, burstPoll: afterPoll, after: settled, port: server.first.port, serverPid: server.child.pid!, burstPid: burst.child.pid! };
}

const procRx = (s: Snapshot, pid: number) => s.processes.find((p) => p.pid === pid)?.rxBytes ?? 0;
const unknownSum = (s: Snapshot, pick: (u: Snapshot['attribution']['unknownProcess'][number]) => number, filter: (remote: string) => boolean) =>
  s.attribution.unknownProcess.filter((u) => filter(u.remote)).reduce((a, u) => a + pick(u), 0);

test('privileged: ≥ 95 % of short-lived bytes counted, the server side on the server process', { skip: !isRoot && 'needs root (CI runs as root)' }, async (t) => {
  const b = await burstBetweenPolls({ destroyEvents: true });
  assert.equal(b.after.sources.destroyEvents.state, 'ok');
  assert.equal(b.after.attribution.shortLivedFlows, 'counted');
  const serverRx = procRx(b.after, b.serverPid) - procRx(b.before, b.serverPid);
  // The client's ports were never seen in a poll and are no listener's: counted by remote endpoint.
  const clientTx = unknownSum(b.after, (u) => u.txBytes, (r) => r === `127.0.0.1:${b.port}`)
    - unknownSum(b.before, (u) => u.txBytes, (r) => r === `127.0.0.1:${b.port}`);
  t.diagnostic(`server process rx ${serverRx} B, client side (unknown process) tx ${clientTx} B of ${TOTAL} B`);
  assert.ok(serverRx >= 0.95 * TOTAL && serverRx <= 1.01 * TOTAL, `server rx ${serverRx} of ${TOTAL}`);
  assert.ok(clientTx >= 0.95 * TOTAL && clientTx <= 1.01 * TOTAL, `client tx ${clientTx} of ${TOTAL}`);
});

test('unprivileged (uid 65534): root\'s short flows are unattributed, coverage below 100 %; the feed still lists them by endpoint', { skip: !isRoot ? 'needs root to switch to uid 65534' : unprivilegedProblem() ?? false }, async (t) => {
  const b = await burstBetweenPolls({ destroyEvents: true }, { uid: 65534, gid: 65534 });
  // Measured here: Linux lets any user subscribe to sock_diag destroy groups (NL_CFG_F_NONROOT_RECV).
  t.diagnostic(`destroyEvents as uid 65534: ${JSON.stringify(b.after.sources.destroyEvents)}`);
  assert.equal(procRx(b.after, b.serverPid), 0, 'the server belongs to root: its pid is not visible');
  assert.equal(b.after.sources.processes.state, 'unavailable');
  assert.match((b.after.sources.processes as { reason: string }).reason, /processes we may not inspect/);
  // Whatever the feed does, no process is credited: the bytes are unattributed and coverage drops.
  const un = b.after.attribution.unattributed.loopback.rxBytes - b.before.attribution.unattributed.loopback.rxBytes;
  const coverage = b.burstPoll.attribution.coverage.loopback;
  t.diagnostic(`unprivileged: unattributed loopback rx +${un} B of ${TOTAL} B; loopback coverage over the burst ${coverage}`);
  assert.ok(un >= 0.95 * TOTAL, `unattributed loopback rx +${un}`);
  assert.ok(coverage !== null && coverage < 0.5, `coverage ${coverage}`);
  if (b.after.sources.destroyEvents.state === 'ok') {
    // The feed still says where they went: by remote endpoint, as part of unattributed.
    const rx = unknownSum(b.after, (u) => u.rxBytes, () => true) - unknownSum(b.before, (u) => u.rxBytes, () => true);
    assert.ok(rx >= 0.95 * TOTAL, `listed under unknown process: ${rx} of ${TOTAL}`);
  } else {
    assert.equal(b.after.attribution.shortLivedFlows, 'unattributed');
  }
});

test('without destroy events: short-lived bytes land in unattributed, coverage below 100 %', async (t) => {
  const b = await burstBetweenPolls({ destroyEvents: false });
  assert.equal(b.after.attribution.shortLivedFlows, 'unattributed');
  assert.match(b.after.attribution.note, /land in unattributed/);
  assert.equal(b.after.sources.destroyEvents.state, 'unavailable');
  const serverRx = procRx(b.after, b.serverPid) - procRx(b.before, b.serverPid);
  assert.ok(serverRx < 0.05 * TOTAL, `server process got ${serverRx}: nothing seen`);
  // Both polls after the burst: the first carries the burst, the second is idle.
  const un = b.after.attribution.unattributed.loopback.rxBytes - b.before.attribution.unattributed.loopback.rxBytes;
  t.diagnostic(`unattributed loopback rx grew by ${un} B for ${TOTAL} B moved`);
  assert.ok(un >= 0.95 * TOTAL, `unattributed loopback rx +${un}`);
  // The poll whose window held the burst explains almost none of what lo carried.
  const coverage = b.burstPoll.attribution.coverage.loopback;
  t.diagnostic(`loopback coverage over the burst window: ${coverage}`);
  assert.ok(coverage !== null && coverage < 0.5, `coverage ${coverage}`);
});
