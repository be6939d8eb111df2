// The engine, forked under Node as a host would, watches a server and client of ours (known pids)
// move a known number of bytes over loopback at a steady rate.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { EngineHost, nextMessage, peer } from './engine-host.ts';
import type { Snapshot } from '../../shared/index.ts';

const RATE = 8_000_000; // bytes/s
const DURATION = 6000; // ms

const hosts: EngineHost[] = [];
after(async () => { for (const h of hosts) await h.stop(); });

test('per-process bytes within 2 %, lo rate within 1 %, connection listed with pid, name and state', async (t) => {
  const engine = new EngineHost({ probes: false, intervalMs: 1000, connectionsVisibleMs: 1000 });
  hosts.push(engine);
  const server = await peer<{ port: number }>('sink-server.ts');
  const port = server.first.port;
  const client = await peer<{ connected: boolean; localPort: number }>('paced-client.ts', [String(port), String(RATE), String(DURATION)]);
  try {
    const seen = (s: Snapshot) => s.processes.some((p) => p.pid === client.child.pid && p.connections > 0);
    const s0 = await engine.next((s) => seen(s));
    const base = await engine.nextPoll(s0.connectionsTs); // a clean poll boundary before sending
    const proc = (s: Snapshot, pid: number | undefined) => s.processes.find((p) => p.pid === pid);
    const tx0 = proc(base, client.child.pid)?.txBytes ?? 0;
    const rx0 = proc(base, server.child.pid)?.rxBytes ?? 0;

    client.child.send({ go: true });
    const finished = nextMessage<{ sent: number; startedAt: number; endedAt: number }>(client.child);
    // Mid-transfer, ask for the two processes' sockets the way the Connections view does.
    await new Promise((r) => setTimeout(r, DURATION / 2));
    const mine = await engine.query({ pid: client.child.pid!, text: String(port) });
    const theirs = await engine.query({ pid: server.child.pid!, state: 'ESTAB' });
    const mid = engine.snapshots.at(-1)!;
    const done = await finished;
    let last = await engine.nextPoll(Date.now());
    last = await engine.nextPoll(last.connectionsTs);

    const tx = proc(last, client.child.pid)!.txBytes - tx0;
    const rx = proc(last, server.child.pid)!.rxBytes - rx0;
    const err = (v: number) => Math.abs(v - done.sent) / done.sent;
    assert.ok(done.sent > RATE * (DURATION / 1000) * 0.95, `client sent ${done.sent}`);
    assert.ok(err(tx) <= 0.02, `client tx ${tx} vs sent ${done.sent} (${(err(tx) * 100).toFixed(2)} %)`);
    assert.ok(err(rx) <= 0.02, `server rx ${rx} vs sent ${done.sent} (${(err(rx) * 100).toFixed(2)} %)`);

    // lo's rate while the transfer was steady (skip the first and last second).
    const steady = engine.snapshots.filter((s) => s.ts >= done.startedAt + 1500 && s.ts <= done.endedAt - 200);
    assert.ok(steady.length >= 3, `${steady.length} steady samples`);
    const lo = steady.map((s) => s.interfaces.find((i) => i.name === 'lo')!);
    const meanRx = lo.reduce((a, i) => a + i.rxBps, 0) / lo.length;
    const expected = done.sent / ((done.endedAt - done.startedAt) / 1000);
    assert.ok(Math.abs(meanRx - expected) / expected <= 0.01, `lo ${meanRx.toFixed(0)} B/s vs ${expected.toFixed(0)} B/s`);

    t.diagnostic(`sent ${done.sent} B; client tx err ${(err(tx) * 100).toFixed(3)} %, server rx err ${(err(rx) * 100).toFixed(3)} %; lo ${meanRx.toFixed(0)} vs ${expected.toFixed(0)} B/s (${((meanRx / expected - 1) * 100).toFixed(3)} %)`);
    assert.ok(steady.every((s) => s.connectionsOmitted && s.connections.length === 0), 'views get pages, not the list');
    assert.equal(mine.matched, 1, JSON.stringify(mine.rows));
    const conn = mine.rows.find((c) => c.pid === client.child.pid && c.remote === `127.0.0.1:${port}`);
    assert.ok(conn, 'client connection listed');
    assert.equal(conn.process, 'nwtest-client');
    assert.equal(conn.state, 'ESTAB');
    assert.equal(conn.local, `127.0.0.1:${client.first.localPort}`);
    assert.ok(conn.txBps > RATE * 0.5, `per-socket rate ${conn.txBps}`);
    assert.ok(conn.rttUs !== null && conn.tcp?.cwnd);
    const srv = theirs.rows.find((c) => c.pid === server.child.pid && c.local === `127.0.0.1:${port}` && c.state === 'ESTAB');
    assert.equal(srv?.process, 'nwtest-server');
    assert.equal(mid.processes.find((p) => p.pid === server.child.pid)?.name, 'nwtest-server');

    assert.equal(mid.interfaces.find((i) => i.name === 'lo')!.type, 'Loopback');
    const eth0 = mid.interfaces.find((i) => i.name === 'eth0');
    if (eth0) assert.equal(eth0.type, 'Ethernet');
    assert.ok(mid.attribution.coverage.loopback !== null && mid.attribution.coverage.loopback > 0.9, `lo coverage ${mid.attribution.coverage.loopback}`);
  } finally {
    client.child.kill();
    server.child.kill();
  }
});
