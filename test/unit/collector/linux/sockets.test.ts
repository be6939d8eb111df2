// nw-sockdiag, ss and /proc/net/udp parsers over output captured on this machine and on others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../../helpers.ts';
import { parseSockdiag } from '../../../../electron/collector/linux/sockdiag.ts';
import { parseSs, splitEndpoint } from '../../../../electron/collector/linux/ss.ts';
import { decodeProcAddress, parseProcNetUdp } from '../../../../electron/collector/linux/proc-net-udp.ts';
import { endpoint } from '../../../../electron/collector/sockets.ts';

test('nw-sockdiag: listeners, established sockets and their tcp_info', () => {
  const { sockets, error } = parseSockdiag(fixture('linux', 'nw-sockdiag--netwatch-vm.txt'));
  assert.equal(error, null);
  assert.equal(sockets.length, 7);
  const sender = sockets.find((s) => s.localPort === 33872)!;
  assert.equal(sender.state, 'ESTAB');
  assert.equal(endpoint(sender.remoteIp!, sender.remotePort!), '127.0.0.1:5555');
  assert.equal(sender.inode, 37496);
  assert.equal(sender.bytesAcked, 100000, 'bytes_acked 100001 less the SYN');
  assert.equal(sender.rttUs, 117);
  assert.equal(sender.cwnd, 13);
  assert.equal(sender.ssthresh, null, 'infinite ssthresh is reported as null');
  assert.equal(sender.mss, 47616);
  assert.equal(sender.sndWnd, 93184);
  assert.equal(sender.rcvWnd, 65536);
  assert.equal(sender.congestion, 'bbr');
  const receiver = sockets.find((s) => s.localPort === 5555 && s.remotePort === 33872)!;
  assert.equal(receiver.bytesReceived, 100000);
  const v6 = sockets.find((s) => s.localIp === '::1')!;
  assert.equal(v6.state, 'LISTEN');
  assert.equal(v6.remoteIp, null);
  assert.equal(endpoint(v6.localIp, v6.localPort), '[::1]:5556');
});

test('nw-sockdiag: a kernel error line is reported, not swallowed', () => {
  assert.equal(parseSockdiag('E\tOperation not permitted\n').error, 'Operation not permitted');
});

test('ss -tinaHe (this machine): same sockets as nw-sockdiag, two-line records joined', () => {
  const ss = parseSs(fixture('linux', 'ss-tinaHe--netwatch-vm.txt'));
  const diag = parseSockdiag(fixture('linux', 'nw-sockdiag--netwatch-vm.txt')).sockets;
  assert.equal(ss.length, 7);
  const sender = ss.find((s) => s.localPort === 33872)!;
  assert.equal(sender.inode, 37496);
  assert.equal(sender.bytesAcked, 100000);
  assert.equal(sender.rttUs, 117);
  assert.equal(sender.cwnd, 13);
  assert.equal(sender.congestion, 'bbr');
  const idle = ss.find((s) => s.localPort === 5555 && s.remotePort === 33888)!;
  assert.equal(idle.bytesAcked, 0, 'no bytes_* fields with tcp_info present means zero');
  assert.equal(idle.bytesReceived, 0);
  // Both mechanisms agree on the 4-tuples and inodes (captured seconds apart from the same sockets).
  const key = (s: { localPort: number; remotePort: number | null; inode: number }) => `${s.localPort}-${s.remotePort}-${s.inode}`;
  assert.deepEqual(ss.map(key).sort(), diag.map(key).sort());
});

test('ss -tipHOn one-line record with users:((…)) (firefox-bin)', () => {
  const [s] = parseSs(fixture('linux', 'ss-tipHOn-oneline--healthy.txt'));
  assert.ok(s);
  assert.equal(s.command, 'firefox-bin');
  assert.equal(s.pid, 1367);
  assert.equal(s.localIp, '192.168.43.58');
  assert.equal(s.remotePort, 443);
  assert.equal(s.rttUs, 95077);
  assert.equal(s.ssthresh, 4);
  assert.equal(s.bytesAcked, 276161);
  assert.equal(s.bytesReceived, 810911);
  assert.equal(s.congestion, 'cubic');
});

test('ss with IPv4-mapped IPv6 addresses, header line and space-indented info', () => {
  const socks = parseSs(fixture('linux', 'ss-intpo-ipv6mapped--xiaodongq-blog.txt'));
  assert.equal(socks.length, 2);
  assert.equal(socks[0]!.localIp, '192.168.1.62');
  assert.equal(endpoint(socks[0]!.remoteIp!, socks[0]!.remotePort!), '192.168.1.220:8008');
  assert.equal(socks[0]!.command, 'java');
  assert.equal(socks[0]!.bytesAcked, 71338470);
  assert.equal(socks[0]!.retrans, 51);
  assert.equal(socks[1]!.remoteIp, '10.12.152.253');
});

test('ss -tulpen: Netid column, %scope addresses, uid and inode, no tcp_info', () => {
  const socks = parseSs(fixture('linux', 'ss-tulpen--jc-ubuntu-18.04.txt'));
  assert.equal(socks.filter((s) => s.protocol === 'tcp').length, 58);
  const resolved = socks.find((s) => s.protocol === 'udp' && s.command === 'systemd-resolve')!;
  assert.equal(resolved.localIp, '127.0.0.53');
  assert.equal(resolved.localPort, 53);
  assert.equal(resolved.uid, 101);
  assert.equal(resolved.inode, 29400);
  assert.equal(resolved.state, 'UNCONN');
  const pg = socks.find((s) => s.command === 'prometheus-post')!;
  assert.equal(pg.state, 'LISTEN');
  assert.equal(pg.pid, 1671);
  assert.equal(pg.bytesAcked, null, 'no -i: counters unknown, not zero');
});

test('ss -tinaHe with scoped link-local IPv6 ([fe80::a]%nwcli-va:4123, this machine): no stray bracket', () => {
  // Server side: the scope follows the bracket on the local endpoint; the peer has none.
  const server = parseSs(fixture('linux', 'ss-tinaHe-linklocal-scoped--netwatch-vm.txt'));
  assert.deepEqual(server.map((s) => [s.state, endpoint(s.localIp, s.localPort), s.remoteIp && endpoint(s.remoteIp, s.remotePort!)]), [
    ['LISTEN', '[fe80::a]:4123', null],
    ['ESTAB', '[fe80::a]:4123', '[fe80::e0ed:f9ff:feb7:bc23]:47378'],
  ]);
  assert.equal(server[1]!.bytesReceived, 10000);
  // Client side: the same connection from the other namespace, and a TIME-WAIT whose info line is blank.
  const client = parseSs(fixture('linux', 'ss-tinaHe-linklocal-client--netwatch-vm.txt'));
  assert.deepEqual(client.map((s) => [s.state, s.localIp, s.localPort, s.remoteIp]), [
    ['ESTAB', 'fe80::e0ed:f9ff:feb7:bc23', 47378, 'fe80::a'],
    ['TIME-WAIT', 'fe80::e0ed:f9ff:feb7:bc23', 50856, 'fe80::a'],
  ]);
  assert.equal(client[0]!.bytesAcked, 10000);
  // The same address written with the scope inside the brackets, as other tools do.
  assert.deepEqual(splitEndpoint('[fe80::a%eth0]:123'), { ip: 'fe80::a', port: 123 });
  assert.deepEqual(splitEndpoint('fe80::a%eth0:123'), { ip: 'fe80::a', port: 123 });
});

test('splitEndpoint handles [v6]:port, v4%scope:port and *:*', () => {
  assert.deepEqual(splitEndpoint('[::1]:443'), { ip: '::1', port: 443 });
  assert.deepEqual(splitEndpoint('0.0.0.0%virbr0:67'), { ip: '0.0.0.0', port: 67 });
  assert.deepEqual(splitEndpoint('*:*'), { ip: '*', port: 0 });
  assert.equal(splitEndpoint('nonsense'), undefined);
  assert.equal(splitEndpoint('1.2.3.4:99999'), undefined);
});

test('/proc/net/udp and udp6 (this machine): a bound IPv4 socket and a connected IPv6 one', () => {
  const v4 = parseProcNetUdp(fixture('linux', 'proc-net-udp--netwatch-vm.txt'));
  assert.equal(v4.length, 1);
  assert.equal(endpoint(v4[0]!.localIp, v4[0]!.localPort), '127.0.0.1:5599');
  assert.equal(v4[0]!.state, 'UNCONN');
  assert.equal(v4[0]!.remoteIp, null);
  const v6 = parseProcNetUdp(fixture('linux', 'proc-net-udp6--netwatch-vm.txt'));
  assert.equal(v6.length, 1);
  assert.equal(v6[0]!.localIp, '::1');
  assert.equal(v6[0]!.remotePort, 5599);
  assert.equal(v6[0]!.state, 'ESTAB');
  assert.equal(v6[0]!.inode, 36813);
});

test('decodeProcAddress: little-endian words, compressed IPv6, mapped IPv4', () => {
  assert.equal(decodeProcAddress('0100007F'), '127.0.0.1');
  assert.equal(decodeProcAddress('010200C0'), '192.0.2.1');
  assert.equal(decodeProcAddress('00000000000000000000000001000000'), '::1');
  assert.equal(decodeProcAddress('0000000000000000FFFF00000100007F'), '127.0.0.1');
  assert.equal(decodeProcAddress('000080FE000000000000000001000000'), 'fe80::1');
  assert.equal(decodeProcAddress('xyz'), undefined);
});
