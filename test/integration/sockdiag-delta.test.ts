// nw-sockdiag --serve sends only what changed after its first dump. The client's list must still be
// exactly what a full dump says: real helper, real loopback sockets of this process.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { nodeOs, type OsIO } from '../../electron/collector/os.ts';
import { DEFAULT_HELPER } from '../../electron/collector/platform.ts';
import { SockdiagClient } from '../../electron/collector/linux/sockdiag-client.ts';
import { createSources } from '../../electron/collector/platform.ts';
import dgram from 'node:dgram';
import { parseSockdiag } from '../../electron/collector/linux/sockdiag.ts';
import type { SocketSample } from '../../electron/collector/sockets.ts';

const built = fs.existsSync(DEFAULT_HELPER);
const held: net.Socket[] = [];
const server = net.createServer((c) => { held.push(c); c.on('data', () => {}); c.on('error', () => {}); });
after(() => { for (const c of held) c.destroy(); server.close(); });

/** Lines the helper printed per dump, counted by kind (T, T0 = T without an inode, X). */
function countingOs(counts: Array<Record<string, number>>): OsIO {
  return {
    ...nodeOs,
    spawnLines: (cmd, args, onLine, onExit) => nodeOs.spawnLines(cmd, args, (line) => {
      if (line === '.') counts.push({});
      else {
        // Sockets without an inode (TIME-WAIT, here from earlier tests) are sent every time: counted apart.
        const kind = line[0] === 'T' && line.split('\t')[7] === '0' ? 'T0' : line[0]!;
        const c = counts.at(-1)!;
        c[kind] = (c[kind] ?? 0) + 1;
      }
      onLine(line);
    }, onExit),
  };
}

const key = (s: SocketSample) => `${s.inode} ${s.state} ${s.localPort}>${s.remotePort} ${s.bytesAcked}/${s.bytesReceived}`;
/** Our sockets only: the server's port on either side. */
const ours = (list: SocketSample[], port: number) => list.filter((s) => s.localPort === port || s.remotePort === port).map(key).sort();
const fullDump = () => parseSockdiag(execFileSync(DEFAULT_HELPER, { encoding: 'utf8', maxBuffer: 64 << 20 })).sockets;

test('delta dumps give the same sockets and counters as full dumps', { skip: !built && 'nw-sockdiag not built (no C compiler): the collector uses ss' }, async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const clients: net.Socket[] = [];
  for (let i = 0; i < 200; i++) {
    clients.push(await new Promise<net.Socket>((r) => { const c = net.connect(port, '127.0.0.1', () => r(c)); c.on('error', () => {}); held.push(c); }));
  }
  await new Promise((r) => setTimeout(r, 200));
  const counts: Array<Record<string, number>> = [{}];
  const client = new SockdiagClient(countingOs(counts), DEFAULT_HELPER);
  try {
    const first = await client.dump();
    assert.ok(first.ok);
    assert.equal(ours(first.sockets, port).length, 401, '200 pairs and the listener');
    assert.ok(counts[0]!['T']! >= 401, 'the first dump is complete');

    const second = await client.dump();
    assert.ok(second.ok);
    assert.deepEqual(ours(second.sockets, port), ours(fullDump(), port));
    assert.ok((counts[1]!['T'] ?? 0) < 50, `an idle second dump sends (almost) nothing: ${JSON.stringify(counts[1])}`);

    // 100 KB over one connection, and 50 connections closed.
    await new Promise<void>((r) => clients[0]!.write(Buffer.alloc(100_000), () => r()));
    for (const c of clients.slice(150)) c.resetAndDestroy();
    await new Promise((r) => setTimeout(r, 300));
    const third = await client.dump();
    assert.ok(third.ok);
    const full = fullDump();
    assert.deepEqual(ours(third.sockets, port), ours(full, port));
    assert.equal(ours(third.sockets, port).length, 301);
    const sender = third.sockets.find((s) => s.localPort === clients[0]!.localPort)!;
    assert.equal(sender.bytesAcked, 100_000);
    assert.ok((counts[2]!['X'] ?? 0) >= 100, 'closed sockets (both ends) are said to be gone');
    assert.equal(third.sockets.filter((s) => s.pid !== null).length, 0, 'owners are joined afresh each poll, not carried over');

    // A new helper process starts from nothing, and so does the client: still the same list.
    client.stop();
    const fourth = await client.dump();
    assert.ok(fourth.ok);
    assert.deepEqual(ours(fourth.sockets, port), ours(fullDump(), port));
  } finally {
    client.stop();
  }
});

// With the helper, which inodes are live comes from the client's own map plus /proc/net/udp: owners of
// both kinds must still be found, on the first poll and for sockets opened after it.
test('the Linux source names this process as owner of its TCP and UDP sockets, new ones included', { skip: !built && 'nw-sockdiag not built (no C compiler): the collector uses ss' }, async () => {
  const sources = createSources(nodeOs, 'linux', { helperPath: DEFAULT_HELPER });
  const bind = async () => { const u = dgram.createSocket('udp4'); await new Promise<void>((r) => u.bind(0, '127.0.0.1', r)); return u; };
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const u1 = await bind();
  const tcp = await new Promise<net.Socket>((r) => { const c = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1', () => r(c)); held.push(c); });
  try {
    const owner = async (proto: 'tcp' | 'udp', port: number) => {
      const r = await sources.sockets();
      assert.ok(r.ok);
      return r.value.sockets.find((s) => s.protocol === proto && s.localPort === port)?.pid;
    };
    assert.equal(await owner('udp', u1.address().port), process.pid);
    assert.equal(await owner('tcp', tcp.localPort!), process.pid);
    const u2 = await bind();
    assert.equal(await owner('udp', u2.address().port), process.pid, 'a UDP socket opened after the first poll');
    assert.equal(await owner('udp', u1.address().port), process.pid);
    u2.close();
  } finally {
    u1.close();
    sources.stop();
  }
});
