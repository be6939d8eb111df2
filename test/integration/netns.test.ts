// Virtual interfaces and health probes inside network namespaces this test makes: the engine runs in
// namespace A, whose default gateway and DNS server are our own host in namespace B. No packet
// leaves this machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, noNamespaces } from '../helpers.ts';
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
    skip = noNamespaces(e);
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
  assert.equal(gw.status.state, 'ok');
  assert.ok(gw.rttMs !== null && gw.rttMs >= 0 && gw.rttMs < 100);
  assert.equal(gw.lossPct, 0);
  assert.equal(gw.history.length, 2);
  // ping is there (.ci/run installs it) and the gateway answers echo requests.
  assert.deepEqual([gw.method, gw.methodNote], ['icmp', null]);
  const d = snap.health.dnsProbe!;
  assert.equal(d.status.state, 'ok');
  assert.ok(d.rttMs !== null && d.rttMs >= 0 && d.rttMs < 1000, `dns rtt ${d.rttMs}`);
  assert.equal(d.history.length, 2);
});

/** A snapshot taken in namespace A with `env`, after `setup` ran. */
function snapshotInA(env: NodeJS.ProcessEnv = process.env): Snapshot {
  const out = execFileSync('ip', ['netns', 'exec', A, process.execPath, path.join(ROOT, 'bin/netwatch.js'), 'snapshot', '--json'], { maxBuffer: 64 << 20, env });
  return SnapshotSchema.parse(JSON.parse(out.toString()));
}

test('gateway health without ICMP: a gateway that ignores echo requests is timed by a TCP handshake, and says so', (t) => {
  if (skip) return t.skip(skip);
  inNs(B, 'sysctl', '-qw', 'net.ipv4.icmp_echo_ignore_all=1');
  try {
    const gw = snapshotInA().health.gatewayProbe!;
    t.diagnostic(JSON.stringify(gw));
    // Nothing listens on TCP 53/80/443 in B: the kernel's reset answers, which times the round trip.
    assert.equal(gw.status.state, 'ok');
    assert.equal(gw.method, 'tcp-connect');
    assert.match(gw.methodNote!, /^TCP handshake to port (53|80|443) \(refused\): no ICMP echo reply$/);
    assert.ok(gw.rttMs !== null && gw.rttMs < 100);
    assert.equal(gw.lossPct, 0);
  } finally {
    inNs(B, 'sysctl', '-qw', 'net.ipv4.icmp_echo_ignore_all=0');
  }
});

test('gateway health without ping installed: the same fallback, with the reason', (t) => {
  if (skip) return t.skip(skip);
  // A PATH with everything the engine uses but ping.
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-noping-'));
  try {
    for (const tool of ['ip', 'ss', 'iw', 'resolvectl']) {
      for (const d of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
        if (fs.existsSync(path.join(d, tool))) { fs.symlinkSync(path.join(d, tool), path.join(bin, tool)); break; }
      }
    }
    const gw = snapshotInA({ ...process.env, PATH: bin }).health.gatewayProbe!;
    t.diagnostic(JSON.stringify(gw));
    assert.equal(gw.status.state, 'ok');
    assert.equal(gw.method, 'tcp-connect');
    assert.match(gw.methodNote!, /\(refused\): ping unavailable \(ping: not installed\)$/);
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
});
