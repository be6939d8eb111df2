// Live capture on loopback (CI runs as root): what the helper counts against what the test itself sent.
// Each test narrows the capture with a kernel filter on its own port, so other loopback traffic on
// this machine does not enter the counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from '../helpers.ts';
import { CaptureClient } from '../../electron/collector/capture-client.ts';
import type { CaptureReport } from '../../electron/collector/capture.ts';
import { nodeOs } from '../../electron/collector/os.ts';

const HELPER = path.join(ROOT, 'native', 'build', 'nw-capture');
const skip = !fs.existsSync(HELPER) ? 'nw-capture not built (libpcap-dev missing)' : process.getuid?.() !== 0 ? 'live capture needs CAP_NET_RAW (run as root)' : false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Captures on lo with `filter` while `traffic` runs, then returns the one report covering it. */
async function capture(filter: string, traffic: () => Promise<void>): Promise<CaptureReport> {
  const c = new CaptureClient(nodeOs, HELPER, { iface: 'lo', filter });
  try {
    assert.equal(await c.start(), null);
    await traffic();
    await sleep(300); // TPACKET_V3 hands a block over within 100 ms of its first packet
    const r = await c.report();
    assert.ok(r.ok, r.ok ? '' : r.reason);
    return r.report;
  } finally {
    c.stop();
  }
}

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
});

test('UDP at ~2 MB/s between two processes: the flow\'s payload bytes within 3 % of what was sent', { skip }, async (t) => {
  const rx = dgram.createSocket('udp4');
  await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r));
  const port = rx.address().port;
  let received = 0;
  rx.on('message', (m) => { received += m.length; });
  let sent = 0;
  const r = await capture(`udp port ${port}`, async () => {
    // Another process: 20 datagrams of 1000 bytes every 10 ms for 2 s = 2 MB/s.
    const sender = spawn(process.execPath, ['-e', `const s = require('node:dgram').createSocket('udp4'); const b = Buffer.alloc(1000, 7);
      let n = 0, sent = 0; const t = setInterval(() => { for (let i = 0; i < 20; i++) s.send(b, ${port}, '127.0.0.1', (e) => { if (!e) sent += 1000; });
      if (++n === 200) { clearInterval(t); setTimeout(() => { console.log(sent); s.close(); }, 100); } }, 10);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    sent = Number(await new Promise<string>((res) => sender.stdout.once('data', (d: Buffer) => res(d.toString()))));
  });
  rx.close();
  const flows = r.flows.filter((f) => f.proto === 17 && f.bPort === port);
  const payload = flows.reduce((a, f) => a + f.ab.payload, 0);
  t.diagnostic(`sent ${sent} B, received ${received} B, captured ${payload} B in ${flows.reduce((a, f) => a + f.ab.packets, 0)} packets; kernel drops ${r.stats.kernelDrops}; report lines: ${r.flows.length} flows`);
  assert.equal(sent, 4_000_000);
  assert.equal(flows.length, 1, 'one flow, reported once: not a line per packet');
  assert.ok(Math.abs(payload - sent) / sent <= 0.03, `captured ${payload} of ${sent}`);
  assert.equal(flows[0]!.ab.bytes, flows[0]!.ab.payload + 28 * flows[0]!.ab.packets, 'IP bytes = payload + 20 B IPv4 + 8 B UDP header each');
  assert.equal(typeof r.stats.kernelDrops, 'number');
});

test('100 connects to a closed port: 100 attempts, 100 refused', { skip }, async () => {
  const port = await freePort();
  const r = await capture(`tcp port ${port}`, async () => {
    for (let i = 0; i < 100; i++) {
      await new Promise<void>((res, rej) => net.connect(port, '127.0.0.1').once('connect', () => rej(new Error('connected'))).once('error', () => res()));
    }
  });
  assert.equal(r.stats.attempts, 100);
  assert.equal(r.handshakes.filter((h) => h.dstPort === port && h.outcome === 'refused').length, 100);
  assert.equal(r.handshakes.length, 100);
});

test('100 connects to an open port: 100 established, each with a plausible SYN→SYN-ACK time', { skip }, async (t) => {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as net.AddressInfo).port;
  const r = await capture(`tcp port ${port}`, async () => {
    for (let i = 0; i < 100; i++) {
      await new Promise<void>((res, rej) => net.connect(port, '127.0.0.1').once('connect', function (this: net.Socket) { this.end(); res(); }).once('error', rej));
    }
  });
  server.close();
  const ok = r.handshakes.filter((h) => h.dstPort === port && h.outcome === 'ok');
  const us = ok.map((h) => h.connectUs!).sort((a, b) => a - b);
  t.diagnostic(`connect time on loopback: median ${us[50]} µs, max ${us[99]} µs`);
  assert.equal(ok.length, 100);
  assert.equal(r.handshakes.length, 100);
  assert.ok(us[0]! >= 0 && us[99]! < 1_000_000, 'under a second on loopback');
  assert.ok(ok.every((h) => h.src === '127.0.0.1' && h.dst === '127.0.0.1' && h.srcPort !== port));
});
