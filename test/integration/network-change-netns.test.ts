// Network-change detector on a real network: the engine runs in namespace A, whose default gateway is
// our host in namespace B. B's veth gets another MAC (the kernel's neighbour entry then changes) →
// one gateway alert naming both MACs; A's resolv.conf names another server → one DNS alert. No packet
// leaves the two namespaces.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Lab, ipCmd } from './capture-lab.ts';
import { EngineHost } from './engine-host.ts';
import { ENGINE_EXEC_ARGV } from '../../shared/engine-runtime.ts';
import { NETWORK_CHANGE_DNS_KEY, networkChangeGatewayKey, explain } from '../../shared/index.ts';
import { noNamespaces } from '../helpers.ts';

const A = `nwnc${process.pid}a`, B = `nwnc${process.pid}b`;
const GW = '10.213.85.1';
let skip: string | false = false;
let lab: Lab | undefined;
let engine: EngineHost | undefined;

before(() => {
  try { lab = new Lab(A, B); } catch (e) { skip = noNamespaces(e); return; }
  lab.veth([A, 'nwncab', '10.213.85.2/24'], [B, 'nwncba', `${GW}/24`]);
  ipCmd('-n', A, 'route', 'add', 'default', 'via', GW);
  // `ip netns exec` bind-mounts /etc/netns/<name>/resolv.conf over /etc/resolv.conf.
  fs.mkdirSync(`/etc/netns/${A}`, { recursive: true });
  fs.writeFileSync(`/etc/netns/${A}/resolv.conf`, `nameserver ${GW}\n`);
});

after(async () => {
  await engine?.stop();
  lab?.cleanup();
  fs.rmSync(`/etc/netns/${A}`, { recursive: true, force: true });
});

const ping = () => execFileSync('ip', ['netns', 'exec', A, 'ping', '-c', '1', '-W', '1', GW], { stdio: 'ignore' });
const macOf = (ns: string, dev: string) => JSON.parse(ipCmd('-j', '-n', ns, 'link', 'show', dev))[0].address as string;

test('the gateway answered by another MAC, then another DNS server: one alert each, with before and after', async (t) => {
  if (skip) return t.skip(skip);
  ping();
  engine = new EngineHost({ probes: false, intervalMs: 500 }, { execPath: 'ip', execArgv: ['netns', 'exec', A, process.execPath, ...process.execArgv, ...ENGINE_EXEC_ARGV] });
  await engine.next((s) => s.health.gateway?.ip === GW && s.health.dns?.server === GW);
  await new Promise((r) => setTimeout(r, 1500)); // a few ticks: the first readings are learned
  const before = macOf(B, 'nwncba');
  ipCmd('-n', B, 'link', 'set', 'nwncba', 'address', '02:13:85:00:00:01');
  ipCmd('-n', A, 'neigh', 'flush', 'dev', 'nwncab');
  ping();
  // The MAC is read every 10 s.
  const s = await engine.next((x) => x.alerts.active.some((a) => a.key === networkChangeGatewayKey(GW)), 25_000);
  const mac = s.alerts.active.filter((a) => a.category === 'network-change');
  assert.equal(mac.length, 1);
  assert.deepEqual(mac[0]!.evidence, { destination: GW, before, after: '02:13:85:00:00:01' });
  assert.match(explain(mac[0]!).what, /gateway 10\.213\.85\.1 now answers from a different device/);

  // In place (the bind mount follows the inode): the next interface tick sees it.
  fs.writeFileSync(`/etc/netns/${A}/resolv.conf`, 'nameserver 10.213.85.53\nnameserver 10.213.85.54\n');
  const d = await engine.next((x) => x.alerts.active.some((a) => a.key === NETWORK_CHANGE_DNS_KEY), 10_000);
  const dns = d.alerts.active.find((a) => a.key === NETWORK_CHANGE_DNS_KEY)!;
  assert.deepEqual(dns.evidence, { before: GW, after: '10.213.85.53, 10.213.85.54', destination: GW });
  assert.equal(d.health.dns?.server, '10.213.85.53');
  await new Promise((r) => setTimeout(r, 1500));
  const last = engine.snapshots.at(-1)!;
  assert.equal(last.alerts.active.filter((a) => a.category === 'network-change').length, 2, 'each raised once, nothing else');
});
