// /proc parsers for TCP counters, CPU, memory, disks and routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { fixture } from '../../../helpers.ts';
import { parseProcNetSnmp } from '../../../../electron/collector/linux/proc-net-snmp.ts';
import { parseMeminfo, parseProcStatCpu } from '../../../../electron/collector/linux/proc-stat.ts';
import { busyPct } from '../../../../electron/collector/engine/counters.ts';
import { parseDiskstats, parseMounts } from '../../../../electron/collector/linux/proc-diskstats.ts';
import { parseProcNetIpv6Route, parseProcNetRoute } from '../../../../electron/collector/linux/proc-net-route.ts';
import { effectiveUid, parseProcStat, procHidepid, socketInode } from '../../../../electron/collector/linux/proc-fd.ts';

test('/proc/net/snmp: TCP counters by name (this machine, after 8,000 loopback connections)', () => {
  assert.deepEqual(parseProcNetSnmp(fixture('linux', 'proc-net-snmp--netwatch-vm.txt')), {
    activeOpens: 8050, passiveOpens: 8006, attemptFails: 0, estabResets: 0,
    retransSegs: 49, outSegs: 43619, inErrs: 0, outRsts: 74,
  });
  assert.equal(parseProcNetSnmp('Ip: Forwarding\nIp: 1\n'), undefined);
});

test('/proc/stat: all-CPU and per-core jiffies; busy percent between two samples', () => {
  const s = parseProcStatCpu(fixture('linux', 'proc-stat--netwatch-vm.txt'))!;
  assert.equal(s.cores.length, 2);
  assert.deepEqual(s.all, { busy: 2980 + 1373 + 90 + 9, total: 2980 + 1373 + 76396 + 103 + 90 + 9 });
  assert.equal(busyPct({ busy: 100, total: 1000 }, { busy: 150, total: 1100 }), 50);
  assert.equal(busyPct({ busy: 100, total: 1000 }, { busy: 90, total: 900 }), 0, 'counters going back give 0, not negative');
});

test('/proc/meminfo: kB values in bytes', () => {
  const m = parseMeminfo(fixture('linux', 'proc-meminfo--netwatch-vm.txt'));
  assert.equal(m.get('MemTotal'), 24683656 * 1024);
  assert.equal(m.get('MemAvailable'), 24332132 * 1024);
  assert.equal(m.get('SwapTotal'), 0);
});

test('mounts: real /dev devices once (bind mount of /dev/vda on /run/netns skipped)', () => {
  assert.deepEqual(parseMounts(fixture('linux', 'proc-mounts--netwatch-vm.txt')), [{ device: '/dev/vda', mount: '/', fsType: 'ext4' }]);
  assert.deepEqual(parseMounts('/dev/sdb1 /media/My\\040Disk vfat rw 0 0\n'), [{ device: '/dev/sdb1', mount: '/media/My Disk', fsType: 'vfat' }]);
});

test('/proc/diskstats: sectors read and written as bytes', () => {
  const d = parseDiskstats(fixture('linux', 'proc-diskstats--netwatch-vm.txt'));
  const vda = d.get('vda')!;
  assert.ok(vda.readBytes > 0 && vda.readBytes % 512 === 0);
  assert.equal(d.get('loop0')!.readBytes, 0);
});

test('/proc/net/route: the default route with a gateway', () => {
  assert.deepEqual(parseProcNetRoute(fixture('linux', 'proc-net-route--netwatch-vm.txt')), { ip: '192.0.2.1', interface: 'eth0', metric: 0 });
  assert.deepEqual(parseProcNetRoute(fixture('linux', 'proc-net-route--jc.txt')), { ip: '192.168.71.2', interface: 'ens33', metric: 100 });
  assert.equal(parseProcNetRoute('Iface\tDestination\tGateway\n'), undefined);
});

test('/proc/net/ipv6_route: default via a gateway; lo and link-local routes ignored', () => {
  assert.equal(parseProcNetIpv6Route(fixture('linux', 'proc-net-ipv6_route--jc.txt')), undefined, 'jc capture: only lo and link-local routes');
  assert.deepEqual(parseProcNetIpv6Route(fixture('linux', 'proc-net-ipv6_route--netwatch-vm.txt')), { ip: 'fd00::1', interface: 'eth0', metric: 1024 });
  const line = '00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003 wlan0';
  assert.deepEqual(parseProcNetIpv6Route(line), { ip: 'fe80::1', interface: 'wlan0', metric: 1024 });
});

test('/proc/<pid>/stat: ppid and start time even with spaces and parens in comm', () => {
  const text = '4322 (Web Content (x)) S 4300 4322 4300 0 -1 4194560 1 0 0 0 5 3 0 0 20 0 1 0 987654 1000 100';
  assert.deepEqual(parseProcStat(text), { ppid: 4300, start: 987654 });
  assert.equal(socketInode('socket:[36813]'), 36813);
  assert.equal(socketInode('pipe:[1]'), undefined);
});

test('a Node 24 process is named by argv[0], not by its main thread\'s name "MainThread" (real /proc)', async () => {
  const { ProcFdMap } = await import('../../../../electron/collector/linux/proc-fd.ts');
  const { nodeOs } = await import('../../../../electron/collector/os.ts');
  const fs = await import('node:fs');
  const comm = fs.readFileSync('/proc/self/comm', 'utf8').trim();
  const info = new ProcFdMap(nodeOs).process(process.pid);
  assert.equal(info?.name, comm === 'MainThread' ? 'node' : comm);
});

test('fd walk (real /proc): our sockets are placed, a second walk places new ones and forgets closed ones', async () => {
  const { ProcFdMap } = await import('../../../../electron/collector/linux/proc-fd.ts');
  const { nodeOs } = await import('../../../../electron/collector/os.ts');
  const fs = await import('node:fs');
  const net = await import('node:net');
  const ours = () => new Set(fs.readdirSync('/proc/self/fd').flatMap((fd) => {
    try { const ino = socketInode(fs.readlinkSync(`/proc/self/fd/${fd}`)); return ino === undefined ? [] : [ino]; } catch { return []; }
  }));
  const accepted: import('node:net').Socket[] = [];
  const server = net.createServer((c) => accepted.push(c)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as import('node:net').AddressInfo).port;
  const connect = async () => { const c = net.connect(port, '127.0.0.1'); await once(c, 'connect'); return c; };
  try {
    const a = await connect();
    const map = new ProcFdMap(nodeOs);
    const first = ours();
    assert.ok(map.resolve(first).walked);
    for (const ino of first) assert.equal(map.owner(ino), process.pid);
    assert.equal(map.resolve(first).walked, false, 'nothing unknown: no walk');
    a.destroy();
    for (const c of accepted.splice(0)) c.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const b = await connect();
    const second = ours();
    assert.ok(map.resolve(second).walked);
    for (const ino of second) assert.equal(map.owner(ino), process.pid);
    for (const ino of first) if (!second.has(ino)) assert.equal(map.owner(ino), undefined);
    b.destroy();
  } finally {
    for (const c of accepted) c.destroy();
    server.close();
  }
});

test('hidepid: read from the topmost /proc mount (hidepid=2 shows as "invisible"); none on this machine', () => {
  assert.equal(procHidepid(fixture('linux', 'proc-self-mountinfo-hidepid2--netwatch-vm.txt')), 'invisible');
  assert.equal(procHidepid(fixture('linux', 'proc-self-mountinfo--netwatch-vm.txt')), null);
  assert.equal(effectiveUid(fixture('linux', 'proc-self-status-nobody--netwatch-vm.txt')), 65534);
});
