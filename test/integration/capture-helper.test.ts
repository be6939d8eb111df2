// native/nw-capture on its own: replays of real captures against tshark's reading of the same files,
// a flood of a million random 5-tuples (memory stays bounded, no byte lost), the unprivileged path
// for real, and the helper's lifetime (it dies with its parent, and at stdin EOF).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, fixture } from '../helpers.ts';
import { parseCaptureOutput, captureFailure, type CaptureReport } from '../../electron/collector/capture.ts';
import { CaptureClient } from '../../electron/collector/capture-client.ts';
import { nodeOs } from '../../electron/collector/os.ts';

const HELPER = path.join(ROOT, 'native', 'build', 'nw-capture');
const built = fs.existsSync(HELPER);
const skip = !built && 'nw-capture not built (libpcap-dev missing)';
const FX = path.join(ROOT, 'test', 'fixtures', 'linux');

function replay(file: string, ...args: string[]): CaptureReport {
  const out = parseCaptureOutput(execFileSync(HELPER, ['-r', path.join(FX, file), ...args], { maxBuffer: 64 << 20 }).toString());
  assert.equal(out.bad, 0);
  assert.equal(out.error, null);
  assert.equal(out.reports.length, 1);
  return out.reports[0]!;
}

/** tshark -T fields output: one array of fields per line. */
const rows = (name: string) => fixture('linux', name).split('\n').filter(Boolean).map((l) => l.split('\t'));

test('DNS replay matches tshark message for message: id, query/response, rcode, name, type, answers', { skip }, () => {
  const r = replay('tcpdump-w-dns-udp-tcp-v6--netns-dnsmasq.pcap');
  // The helper escapes bytes outside [A-Za-z0-9_-] as \DDD; tshark prints them raw (a tab as \t).
  const name = (q: string | null) => (q ?? '').replace(/\\(\d{3})/g, (_m, d: string) => (d === '009' ? '\\t' : String.fromCharCode(Number(d))));
  const ours = r.dns.map((d) => [d.atUs, d.id, d.response ? 1 : 0, d.response ? d.rcode : '', name(d.qname), d.qtype, d.answerCount, d.answers.filter((a) => !a.includes(':')).join(','), d.answers.filter((a) => a.includes(':')).join(',')].join('|'));
  const truth = rows('tshark-T-fields-dns--netns-dnsmasq.txt').map(([t, id, resp, rcode, qn, qt, an, a, aaaa]) =>
    [Math.round(Number(t) * 1e6), Number(id), Number(resp), rcode === '' ? '' : Number(rcode), qn, Number(qt), Number(an), a ?? '', aaaa ?? ''].join('|'));
  assert.deepEqual(ours, truth);
  assert.ok(r.dns.every((d) => !d.malformed));
});

test('TCP replay: outcomes and connect times match the SYN, SYN-ACK and RST tshark saw', { skip }, () => {
  const r = replay('tcpdump-w-tcp-open-refused-silent--netns.pcap', '-T', '3000');
  const t = rows('tshark-T-fields-tcp-syn-rst--netns.txt').map(([ts, src, sp, dst, dp, syn, ack, rst]) => ({ us: Math.round(Number(ts) * 1e6), src, sp: Number(sp), dst, dp: Number(dp), syn: syn === '1', ack: ack === '1', rst: rst === '1' }));
  const expected = t.filter((p) => p.syn && !p.ack && !t.some((q) => q.sp === p.sp && q.us < p.us && q.syn && !q.ack)).map((s) => {
    const answer = t.find((q) => q.sp === s.dp && q.dp === s.sp && q.src === s.dst && (q.rst || (q.syn && q.ack)));
    return [s.sp, answer ? (answer.rst ? 'refused' : 'ok') : 'timeout', answer && !answer.rst ? answer.us - s.us : null];
  });
  assert.deepEqual(r.handshakes.map((h) => [h.srcPort, h.outcome, h.connectUs]), expected);
  assert.deepEqual(expected.map((e) => e[1]), ['ok', 'ok', 'refused', 'refused', 'timeout']);
});

for (const [pcap, truth] of [
  ['tcpdump-w-udp-fragments-ipopts-v6ext--netns.pcap', 'tshark-T-fields-udp--w-udp-fragments-ipopts-v6ext--netns.txt'],
  ['tcpdump-i-any-y-LINUX_SLL-w-udp--netns.pcap', 'tshark-T-fields-udp--i-any-y-LINUX_SLL-w-udp--netns.txt'],
  ['tcpdump-i-any-y-LINUX_SLL2-w-udp--netns.pcap', 'tshark-T-fields-udp--i-any-y-LINUX_SLL2-w-udp--netns.txt'],
] as const) {
  test(`UDP payload per flow equals tshark's reassembled datagrams: ${pcap}`, { skip }, () => {
    const r = replay(pcap);
    const want = new Map<string, number>();
    for (const [sp, dp, len] of rows(truth)) want.set(`${sp}>${dp}`, (want.get(`${sp}>${dp}`) ?? 0) + Number(len) - 8);
    const got = new Map(r.flows.filter((f) => f.proto === 17).map((f) => [`${f.aPort}>${f.bPort}`, f.ab.payload]));
    assert.deepEqual(got, want, 'fragments are credited to their datagram\'s flow');
    // Non-DNS packets reach the parser cut to 128 bytes: far fewer bytes captured than on the wire.
    assert.ok(r.stats.capturedBytes <= r.stats.packets * 128 && r.stats.capturedBytes < r.stats.bytes / 4, JSON.stringify(r.stats));
    assert.equal(r.stats.undecoded, 0);
  });
}

// macOS: real captures from tcpdump's own test suite (test/fixtures/README.md): Apple's PKTAP header as
// files number it (258) and as macOS's live captures do (149), and a capture on a Mac's lo0 (DLT_NULL
// with AF_INET6 = 30) of a QUIC handshake. The parser on Linux is the one the macOS build runs.
const DARWIN = path.join(ROOT, 'test', 'fixtures', 'darwin');
const darwinRows = (name: string) => fixture('darwin', name).split('\n').filter(Boolean).map((l) => l.split('\t'));

for (const f of ['LINKTYPE_PKTAP', 'LINKTYPE_USER2_PKTAP']) {
  test(`macOS PKTAP (${f}): the DNS query inside, as tshark decodes it`, { skip }, () => {
    const out = parseCaptureOutput(execFileSync(HELPER, ['-r', path.join(DARWIN, `tcpdump-tests-${f}--tcpdump.pcap`)]).toString());
    assert.equal(out.error, null);
    const r = out.reports[0]!;
    const [[, id, resp, qname, qtype, sp, dp, len]] = darwinRows(`tshark-T-fields-dns--${f}.txt`) as [string[]];
    assert.deepEqual(r.dns.map((m) => [m.id, m.response, m.qname, m.qtype, m.srcPort, m.dstPort]),
      [[Number(id), resp === '1', qname, Number(qtype), Number(sp), Number(dp)]]);
    assert.deepEqual(r.flows.map((x) => [x.aPort, x.bPort, x.ab.payload]), [[Number(sp), Number(dp), Number(len) - 8]]);
    assert.equal(r.stats.undecoded, 0);
  });
}

test('macOS lo0 (DLT_NULL, IPv6): a QUIC handshake\'s UDP payload per direction equals tshark\'s', { skip }, () => {
  const out = parseCaptureOutput(execFileSync(HELPER, ['-r', path.join(DARWIN, 'tcpdump-tests-quic_handshake-lo0--tcpdump.pcap')]).toString());
  const r = out.reports[0]!;
  const want = new Map<string, number>();
  for (const [sp, dp, len] of darwinRows('tshark-T-fields-udp--quic_handshake-lo0.txt')) want.set(`${sp}>${dp}`, (want.get(`${sp}>${dp}`) ?? 0) + Number(len) - 8);
  const f = r.flows.find((x) => x.proto === 17)!;
  assert.equal(f.a, '::1');
  assert.deepEqual(new Map([[`${f.aPort}>${f.bPort}`, f.ab.payload], [`${f.bPort}>${f.aPort}`, f.ba.payload]]), want);
  assert.equal(r.stats.undecoded, 0);
});

/** A pcap of n UDP packets over Ethernet, each with a different random 5-tuple in 10.213/16 and 10.214/16. */
function floodPcap(file: string, n: number): void {
  const rec = 16 + 14 + 20 + 8 + 4;
  const b = Buffer.alloc(24 + n * rec);
  b.writeUInt32LE(0xa1b2c3d4, 0); b.writeUInt16LE(2, 4); b.writeUInt16LE(4, 6); b.writeUInt32LE(65535, 16); b.writeUInt32LE(1, 20);
  let s = 0x12345678;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 16; // the high half: the low bits of an LCG repeat early
  for (let i = 0, o = 24; i < n; i++, o += rec) {
    b.writeUInt32LE(1_700_000_000 + Math.floor(i / 100_000), o); b.writeUInt32LE((i % 100_000) * 10, o + 4);
    b.writeUInt32LE(rec - 16, o + 8); b.writeUInt32LE(rec - 16, o + 12);
    b.writeUInt16BE(0x0800, o + 16 + 12);
    const ip = o + 30;
    b[ip] = 0x45; b.writeUInt16BE(32, ip + 2); b[ip + 8] = 64; b[ip + 9] = 17;
    b.writeUInt32BE((0x0ad50000 | rnd()) >>> 0, ip + 12); b.writeUInt32BE((0x0ad60000 | rnd()) >>> 0, ip + 16);
    b.writeUInt16BE(rnd(), ip + 20); b.writeUInt16BE(rnd(), ip + 22); b.writeUInt16BE(12, ip + 24);
  }
  fs.writeFileSync(file, b);
}

test('a flood of 1,000,000 random 5-tuples: the table stays at its bound, every byte is counted, RSS < 8 MiB', { skip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nwcap-flood-'));
  try {
    const file = path.join(dir, 'flood.pcap');
    floodPcap(file, 1_000_000);
    const out = parseCaptureOutput(execFileSync(HELPER, ['-r', file], { maxBuffer: 64 << 20 }).toString());
    const r = out.reports[0]!;
    const flowPackets = r.flows.reduce((a, f) => a + f.ab.packets + f.ba.packets, 0);
    const flowBytes = r.flows.reduce((a, f) => a + f.ab.bytes + f.ba.bytes, 0);
    assert.equal(r.stats.flows, 16384);
    assert.equal(r.flows.length, 16384);
    assert.ok(r.other.evicted > 950_000, `evicted ${r.other.evicted}`);
    assert.equal(flowPackets + r.other.packets, 1_000_000);
    assert.equal(flowBytes + r.other.bytes, 32_000_000, 'flows + other = every IP byte');
    // Bound (README): ~2.5 MiB of process baseline + 1 MiB of events + 120 B per flow (112 B entry, two
    // 4-byte buckets): ≈ 5.4 MiB at the default 16,384 flows (measured 4.7 MiB here).
    assert.ok(r.stats.maxRssKb < 8 * 1024, `peak RSS ${r.stats.maxRssKb} KiB`);
    // Ten times the flows: memory grows by what the bound says (~1.9 MiB per 16k flows), no more.
    const big = parseCaptureOutput(execFileSync(HELPER, ['-r', file, '-F', '163840'], { maxBuffer: 256 << 20 }).toString()).reports[0]!;
    assert.equal(big.stats.flows, 163840);
    assert.ok(big.stats.maxRssKb < 8 * 1024 + 9 * 1.9 * 1024 + 1024, `peak RSS ${big.stats.maxRssKb} KiB at 163,840 flows`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('hostile files: a missing file and a non-pcap get an E line and a non-zero exit, never a crash', { skip }, () => {
  for (const f of ['/nonexistent/x.pcap', path.join(FX, 'tshark-T-fields-dns--netns-dnsmasq.txt')]) {
    const r = spawnSync(HELPER, ['-r', f], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^E\tcannot read /);
  }
  assert.equal(spawnSync(HELPER, ['-F', '0'], { encoding: 'utf8' }).status, 2, 'a flow table of 0 is refused');
});

test('without CAP_NET_RAW (uid 65534, no capabilities) the client reports how to grant it', { skip }, async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to switch to uid 65534');
  if (spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', HELPER, '-F', '0']).status !== 2) {
    return t.skip('uid 65534 cannot run the helper in this checkout (a parent folder is not world-searchable)');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nwcap-unpriv-'));
  const wrapper = path.join(dir, 'nw-capture');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups ${HELPER} "$@"\n`, { mode: 0o755 });
  try {
    const raw = spawnSync(wrapper, ['--serve', '-i', 'lo'], { encoding: 'utf8', input: '' });
    assert.equal(raw.status, 3);
    assert.match(raw.stdout, /^E\tneeds CAP_NET_RAW: /);
    const c = new CaptureClient(nodeOs, wrapper, { iface: 'any' });
    const r = await c.report(5000);
    assert.deepEqual(r, { ok: false, reason: captureFailure('needs CAP_NET_RAW', wrapper) });
    assert.match(r.ok ? '' : r.reason, /^unavailable: needs CAP_NET_RAW — grant it with: sudo setcap cap_net_raw,cap_net_admin\+eip /);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Running: a zombie has exited (an orphan waits for PID 1 to reap it, which under load takes a while). */
const alive = (pid: number) => {
  try { return !/^\d+ \(.*\) Z /s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
};
const waitGone = async (pid: number, ms: number) => { for (const end = Date.now() + ms; Date.now() < end && alive(pid);) await new Promise((r) => setTimeout(r, 20)); return !alive(pid); };

test('the helper exits when its parent is killed and when its stdin closes', { skip }, async (t) => {
  if (process.getuid?.() !== 0) return t.skip('capturing needs CAP_NET_RAW');
  // A parent that starts the helper, prints its pid and is then SIGKILLed (no chance to clean up).
  const parent = spawn(process.execPath, ['-e', `const c = require('node:child_process').spawn(${JSON.stringify(HELPER)}, ['--serve', '-i', 'lo'], { stdio: ['pipe', 'pipe', 'inherit'] });
    c.stdout.once('data', () => console.log(c.pid)); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = Number(await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString()))));
  assert.ok(alive(pid));
  parent.kill('SIGKILL');
  assert.ok(await waitGone(pid, 2000), 'helper still running 2 s after its parent was killed');

  const c = spawn(HELPER, ['--serve', '-i', 'lo'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((r) => c.stdout.once('data', r));
  c.stdin.end();
  assert.ok(await waitGone(c.pid!, 2000), 'helper still running 2 s after its stdin closed');
});
