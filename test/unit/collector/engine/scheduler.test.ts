// The engine as a scheduler of tiers: each tier's reads come at its own cadence (config.ts), hidden vs
// visible connection polls, probes off means no probe at all, a route change re-detects at once, and a
// tier that throws only marks its own source. The sources here read nothing: every call is counted and
// answered "unavailable", so only the schedule is under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, unavailable, SnapshotSchema, type EngineConfig } from '../../../../shared/index.ts';
import { nodeOs, type OsIO } from '../../../../electron/collector/os.ts';
import { bad, type Sources } from '../../../../electron/collector/sources.ts';
import { Engine } from '../../../../electron/collector/engine/engine.ts';

function counting(): { sources: Sources; calls: Map<string, number>; routes: { v: string }; throwIn: Set<string> } {
  const calls = new Map<string, number>();
  const routes = { v: 'r1' };
  const throwIn = new Set<string>();
  const no = (name: string) => async () => {
    calls.set(name, (calls.get(name) ?? 0) + 1);
    if (throwIn.has(name)) throw new Error(`${name} blew up`);
    return bad<never>(unavailable('not read in this test'));
  };
  const sources: Sources = {
    platform: 'linux',
    interfaces: no('interfaces'), sockets: no('sockets'), tcpCounters: no('tcpCounters'), wifi: no('wifi'),
    gateway: no('gateway'), dns: no('dns'), ping: no('ping'), system: no('system'), disks: no('disks'),
    processes: { name: () => null, app: () => null, command: () => null },
    routeFingerprint: () => routes.v,
    stop: () => {},
    destroyEvents: (_s, onStatus) => { onStatus(unavailable('not followed in this test')); return { stop() {} }; },
  };
  return { sources, calls, routes, throwIn };
}

async function run(cfg: Partial<EngineConfig>, ticks: number, opts: { visible?: boolean; routeChangeAt?: number; throwIn?: string } = {}) {
  const { sources, calls, routes, throwIn } = counting();
  if (opts.throwIn) throwIn.add(opts.throwIn);
  let now = 1_000_000;
  const os: OsIO = { ...nodeOs, now: () => now };
  const config = { ...defaultConfig(), ...cfg };
  const snaps: unknown[] = [];
  const engine = new Engine({ sources, os, config, emit: (m) => { if (m.type === 'snapshot') snaps.push(m.snapshot); } });
  engine.setVisible(opts.visible ?? false);
  for (let i = 0; i < ticks; i++) {
    if (i === opts.routeChangeAt) routes.v = 'r2';
    await engine.tick();
    await new Promise((r) => setImmediate(r)); // let the jobs started by this tick finish
    now += config.intervalMs;
  }
  engine.stop();
  return { calls, snaps, engine };
}

test('each tier at its own cadence over 60 one-second ticks', async () => {
  const { calls } = await run({ intervalMs: 1000, connectionsHiddenMs: 10_000, healthMs: 5000, systemMs: 5000, disksMs: 30_000, probes: false }, 60);
  // Interfaces every tick, plus one per connection poll (coverage reads them alongside the sockets).
  assert.equal(calls.get('sockets'), 6);
  assert.equal(calls.get('interfaces'), 60 + 6);
  assert.equal(calls.get('system'), 12);
  assert.equal(calls.get('disks'), 2);
  assert.equal(calls.get('gateway'), 1, 'detected once: no route change within the minute');
  assert.equal(calls.get('ping'), undefined, 'probes off: nothing probed');
  // No wireless interface known (interfaces unavailable): Wi-Fi is not asked at all.
  assert.equal(calls.get('wifi'), undefined);
});

test('visible: connections at the visible cadence; probes on: every healthMs', async () => {
  const { calls } = await run({ intervalMs: 1000, connectionsVisibleMs: 2000, healthMs: 5000, probes: true }, 20, { visible: true });
  assert.equal(calls.get('sockets'), 10);
  // Probing needs a gateway; none was detected (unavailable), so no ping is sent, but the job ran.
  assert.equal(calls.get('ping'), undefined);
  assert.equal(calls.get('gateway'), 1);
});

test('a route change re-detects the gateway at the next tick', async () => {
  const { calls } = await run({ intervalMs: 1000, probes: false }, 10, { routeChangeAt: 4 });
  assert.equal(calls.get('gateway'), 2);
});

test('a tier that throws marks only its own source; snapshots keep coming and validate', async () => {
  const { snaps } = await run({ intervalMs: 1000, probes: false }, 6, { throwIn: 'system' });
  assert.equal(snaps.length, 6);
  const last = SnapshotSchema.parse(snaps.at(-1));
  assert.deepEqual(last.sources.system, { state: 'error', message: 'system blew up' });
  assert.equal(last.sources.disks.state, 'unavailable');
  assert.equal(last.sources.interfaces.state, 'unavailable');
});
