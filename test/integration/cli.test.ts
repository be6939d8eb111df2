// The headless command as a user runs it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers.ts';
import { SnapshotSchema, TCP_STATES } from '../../shared/index.ts';
import { peer } from './engine-host.ts';

const BIN = path.join(ROOT, 'bin', 'netwatch.js');
const run = promisify(execFile);
const kids: Array<{ kill(): unknown }> = [];
after(() => kids.forEach((k) => k.kill()));

async function loopbackPair() {
  const server = await peer<{ port: number }>('sink-server.ts');
  const client = await peer<{ localPort: number }>('paced-client.ts', [String(server.first.port), '1000000', '60000']);
  kids.push(server.child, client.child);
  client.child.send({ go: true });
  return { server, client };
}

// --no-probes everywhere on this machine: probes would ping the real gateway (netns.test.ts probes its own).
test('netwatch snapshot --json: a valid snapshot with interfaces, connections, processes and health', async () => {
  const { server, client } = await loopbackPair();
  const { stdout } = await run(process.execPath, [BIN, 'snapshot', '--json', '--no-probes'], { maxBuffer: 64 << 20 });
  const snap = SnapshotSchema.parse(JSON.parse(stdout));
  assert.ok(snap.interfaces.some((i) => i.name === 'lo' && i.type === 'Loopback' && i.rxBps > 0), 'rates are real after two samples');
  assert.ok(snap.connections.some((c) => c.pid === client.child.pid && c.process === 'nwtest-client'));
  const srv = snap.processes.find((p) => p.pid === server.child.pid)!;
  assert.equal(srv.name, 'nwtest-server');
  assert.ok(srv.rxBps > 0);
  assert.ok(snap.health.gateway && snap.health.dns, 'gateway and DNS detected');
  assert.equal(snap.health.gatewayProbe!.status.state, 'unavailable');
  assert.equal(snap.sources.connections.state, 'ok');
});

test('netwatch watch --jsonl: a system line per cycle, a socket line each, clean exit on SIGINT', async () => {
  const { server } = await loopbackPair();
  const child = spawn(process.execPath, [BIN, 'watch', '--jsonl', '--interval', '0.5', '--no-probes'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  await new Promise((r) => setTimeout(r, 3000));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGINT');
  assert.equal(await exited, 0);
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  const headers = lines.filter((l) => l.type === 'system');
  assert.ok(headers.length >= 3, `${headers.length} cycles`);
  assert.equal(headers[0].interval_ms, 500);
  assert.deepEqual(headers[0].state_counts.map((s: { state: string }) => s.state), [...TCP_STATES]);
  const last = headers.at(-1);
  const cycle = lines.slice(lines.lastIndexOf(last) + 1).filter((l) => l.type === 'socket');
  assert.equal(cycle.length, last.total_sockets);
  const mine = cycle.find((l) => l.pid === server.child.pid && l.state === 'ESTAB');
  assert.equal(mine.command, 'nwtest-server');
  assert.ok(mine.rx_bps > 0);
});

test('netwatch: bad arguments exit 2 with the usage', async () => {
  await assert.rejects(run(process.execPath, [BIN, 'watch', '--interval', 'abc']), (e: { code: number; stderr: string }) => e.code === 2 && /interval/.test(e.stderr));
  await assert.rejects(run(process.execPath, [BIN, 'frobnicate']), (e: { code: number; stderr: string }) => e.code === 2 && /usage/.test(e.stderr));
});
