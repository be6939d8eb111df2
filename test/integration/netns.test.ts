// Virtual interfaces and health probes inside network namespaces this test makes: the engine runs in
// namespace A, whose default gateway and DNS server are our own host in namespace B. No packet
// leaves this machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.ts';
import { SnapshotSchema, type Snapshot } from '../../shared/index.ts';

const A = `nwt${process.pid}a`;
const B = `nwt${process.pid}b`;
const GW = '10.213.7.1';
const sh = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const inNs = (ns: string, ...args: string[]) => sh('netns', 'exec', ns, ...args);

let skip: string | false = false;
let dns: ChildProcess | undefined;
let snap: Snapshot;

before(async () => {
  try {
    sh('netns', 'add', A);
    sh('netns', 'add', B);
  } catch (e) {
    skip = `cannot create network namespaces here: ${(e as Error).message.split('\n')[0]}`;
    return;
  }
  sh('link', 'add', 'nwva', 'netns', A, 'type', 'veth', 'peer', 'name', 'nwvb', 'netns', B);
  for (const [ns, dev, addr] of [[A, 'nwva', '10.213.7.2/24'], [B, 'nwvb', `${GW}/24`]] as const) {
    inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
    inNs(ns, 'ip', 'addr', 'add', addr, 'dev', dev);
    inNs(ns, 'ip', 'link', 'set', dev, 'up');
  }
  inNs(A, 'ip', 'link', 'add', 'nwbr0', 'type', 'bridge');
  inNs(A, 'ip', 'link', 'set', 'nwbr0', 'up');
  inNs(A, 'ip', 'tuntap', 'add', 'dev', 'nwtun0', 'mode', 'tun');
  inNs(A, 'ip', 'route', 'add', 'default', 'via', GW);
  // `ip netns exec` bind-mounts /etc/netns/<name>/resolv.conf over /etc/resolv.conf.
  fs.mkdirSync(`/etc/netns/${A}`, { recursive: true });
  fs.writeFileSync(`/etc/netns/${A}/resolv.conf`, `nameserver ${GW}\n`);
  dns = spawn('ip', ['netns', 'exec', B, process.execPath, path.join(ROOT, 'test/integration/peers/dns-responder.ts'), GW, '53'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => dns!.stdout!.once('data', r));
  const out = execFileSync('ip', ['netns', 'exec', A, process.execPath, path.join(ROOT, 'bin/netwatch.js'), 'snapshot', '--json'], { maxBuffer: 64 << 20 });
  snap = JSON.parse(out.toString());
});

after(() => {
  dns?.kill();
  for (const ns of [A, B]) { try { sh('netns', 'del', ns); } catch { /* was not made */ } }
  fs.rmSync(`/etc/netns/${A}`, { recursive: true, force: true });
});

test('veth, bridge and tun in a namespace are Virtual with their kind; lo is Loopback', (t) => {
  if (skip) return t.skip(skip);
  assert.ok(SnapshotSchema.safeParse(snap).success);
  const kind = (n: string) => { const i = snap.interfaces.find((x) => x.name === n); return i && [i.type, i.virtualKind]; };
  assert.deepEqual(kind('nwva'), ['Virtual', 'veth']);
  assert.deepEqual(kind('nwbr0'), ['Virtual', 'bridge']);
  assert.deepEqual(kind('nwtun0'), ['Virtual', 'tun']);
  assert.deepEqual(kind('lo'), ['Loopback', null]);
  const veth = snap.interfaces.find((x) => x.name === 'nwva')!;
  assert.deepEqual(veth.ipv4, ['10.213.7.2/24']);
  assert.equal(veth.up, true);
  assert.equal(veth.mtu, 1500);
});

test('gateway and DNS are detected, and each probe returns an RTT or an explicit reason', (t) => {
  if (skip) return t.skip(skip);
  assert.deepEqual(snap.health.gateway, { ip: GW, interface: 'nwva' });
  assert.deepEqual(snap.health.dns, { server: GW, source: '/etc/resolv.conf', stub: false });
  const gw = snap.health.gatewayProbe!;
  t.diagnostic(`gateway probe: ${JSON.stringify({ rttMs: gw.rttMs, lossPct: gw.lossPct, status: gw.status })}`);
  if (gw.status.state === 'ok') {
    assert.ok(gw.rttMs !== null && gw.rttMs >= 0 && gw.rttMs < 100);
    assert.equal(gw.lossPct, 0);
    assert.equal(gw.history.length, 2);
  } else {
    assert.deepEqual(gw.status, { state: 'unavailable', reason: 'ping: not installed' });
  }
  const d = snap.health.dnsProbe!;
  assert.equal(d.status.state, 'ok');
  assert.ok(d.rttMs !== null && d.rttMs >= 0 && d.rttMs < 1000, `dns rtt ${d.rttMs}`);
  assert.equal(d.history.length, 2);
});
