// nw-capture's report lines: real helper output (replays of the fixture pcaps), and lines broken the
// ways a pipe or a bug could break them. The helper itself is tested in test/integration/capture-*.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../helpers.ts';
import { ReportBuilder, captureFailure, parseCaptureLine, parseCaptureOutput } from '../../../electron/collector/capture.ts';
import { CaptureClient } from '../../../electron/collector/capture-client.ts';
import type { LineStream, OsIO } from '../../../electron/collector/os.ts';

test('a DNS replay: every line parses; queries, NXDOMAIN, answers and the escaped name as the helper printed them', () => {
  const out = parseCaptureOutput(fixture('linux', 'nw-capture-r-dns--netns-dnsmasq.txt'));
  assert.equal(out.bad, 0);
  assert.equal(out.error, null);
  assert.deepEqual(out.hello, { version: 1, source: 'tcpdump-w-dns-udp-tcp-v6--netns-dnsmasq.pcap', linkType: 1, snapHeaders: 128, maxFlows: 16384 });
  assert.equal(out.reports.length, 1);
  const r = out.reports[0]!;
  assert.equal(r.dns.length, 16);
  assert.equal(r.dns.filter((d) => d.response && d.rcode === 3).length, 2);
  const many = r.dns.find((d) => d.response && d.qname === 'many.nw.test' && d.qtype === 1 && d.proto === 'udp')!;
  assert.deepEqual(many.answers, ['10.213.50.21', '10.213.50.23', '10.213.50.22']);
  assert.equal(many.answerCount, 3);
  assert.ok(r.dns.some((d) => d.qname === 'we\\046ird\\044name\\009.nw.test'));
  assert.ok(r.dns.some((d) => d.src === 'fd00:213:50::1' && d.answers[0] === 'fd00:213:50::21'));
  const tcp = r.flows.find((f) => f.proto === 6)!;
  assert.deepEqual([tcp.a, tcp.aPort, tcp.b, tcp.bPort], ['10.213.50.2', 35939, '10.213.50.1', 53]);
  assert.equal(r.stats.kernelDrops, null, 'a file has no kernel counters');
  assert.equal(r.stats.packets, 24);
});

test('a TCP replay: two established (with SYN→SYN-ACK µs), two refused, one timed out', () => {
  const r = parseCaptureOutput(fixture('linux', 'nw-capture-r-T3000-tcp--netns.txt')).reports[0]!;
  assert.deepEqual(r.handshakes.map((h) => [h.dstPort, h.outcome, h.connectUs]), [[8080, 'ok', 58], [8080, 'ok', 6], [7, 'refused', null], [7, 'refused', null], [80, 'timeout', null]]);
  assert.equal(r.stats.attempts, 5);
});

test('broken lines are refused, not half-read', () => {
  const good = 'F\t17\t10.213.50.2\t47101\t10.213.50.1\t5000\t12\t13372\t13100\t0\t0\t0';
  assert.equal(parseCaptureLine(good)?.kind, 'flow');
  for (const bad of [
    good.slice(0, -2),                                  // cut mid-line
    good.replace('\t12\t', '\t-12\t'),                  // negative count
    good.replace('47101', '70000'),                     // port out of range
    good.replace('10.213.50.2', '10.213.50'),           // not an address
    good.replace('13372', '99999999999999999999'),      // beyond a safe integer
    `${good}\t1`,                                       // a field too many
    'C\t1\t10.0.0.1\t1\t10.0.0.2\t2\tmaybe\t0',         // unknown outcome
    'D\t1\t17\t10.0.0.1\t53\t10.0.0.2\t9\t1\t2\t0\t3\t1\ta.b\t1\tnot-an-ip\tok',
    'S\t1\t2\t3\t4\t0\t-\t0\t0\t1\t0\t0\t0\t0\t100', // kernel counters half missing
    'Z\tsomething', '',
  ]) assert.equal(parseCaptureLine(bad), undefined, bad);
});

test('a report without its S line is not handed out', () => {
  const b = new ReportBuilder();
  assert.equal(b.line('O\t0\t0\t0\t0'), null);
  assert.equal(b.line('.'), null);
  assert.equal(b.bad, 1);
});

test('the missing capability names the command that grants it', () => {
  assert.equal(captureFailure('needs CAP_NET_RAW: socket: Operation not permitted', '/opt/nw/nw-capture'),
    'unavailable: needs CAP_NET_RAW — grant it with: sudo setcap cap_net_raw,cap_net_admin+eip /opt/nw/nw-capture');
  assert.match(captureFailure('/x/nw-capture: not installed', '/x/nw-capture'), /not built .*libpcap-dev/);
});

/** An OsIO whose helper prints the given lines: the first batch on start, one batch per request;
 * with `exit`, it exits after the last batch. */
function replaying(batches: string[][], exit?: string): { os: OsIO; args: string[][] } {
  const args: string[][] = [];
  const os = {
    spawnLines(_cmd: string, a: readonly string[], onLine: (l: string) => void, onExit: (c: number | null, why: string) => void): LineStream {
      args.push([...a]);
      let i = 0;
      const next = () => {
        batches[i++]?.forEach(onLine);
        if (i >= batches.length && exit !== undefined) onExit(3, exit); // prints its last lines, then exits
      };
      queueMicrotask(next);
      return { write: () => queueMicrotask(next), stop() {} };
    },
  } as unknown as OsIO;
  return { os, args };
}

test('the client starts the helper once, asks for a report per call and passes its options', async () => {
  const lines = fixture('linux', 'nw-capture-r-T3000-tcp--netns.txt').split('\n').filter(Boolean);
  const { os, args } = replaying([[lines[0]!], lines.slice(1), lines.slice(1)]);
  const c = new CaptureClient(os, '/x/nw-capture', { iface: 'lo', filter: 'tcp port 8080', synTimeoutMs: 3000 });
  assert.equal(await c.start(), null);
  const a = await c.report();
  const b = await c.report();
  assert.ok(a.ok && b.ok);
  assert.equal(a.report.handshakes.length, 5);
  assert.deepEqual(args, [['--serve', '-i', 'lo', '-f', 'tcp port 8080', '-T', '3000']]);
  assert.equal(c.hello?.source, 'tcpdump-w-tcp-open-refused-silent--netns.pcap');
});

test('the client reports the helper\'s own error line as the reason it is unavailable', async () => {
  const { os } = replaying([['E\tneeds CAP_NET_RAW: any: You don\'t have permission to perform this capture on that device']], 'exit code 3');
  const r = await new CaptureClient(os, '/x/nw-capture').report();
  assert.deepEqual(r, { ok: false, reason: 'unavailable: needs CAP_NET_RAW — grant it with: sudo setcap cap_net_raw,cap_net_admin+eip /x/nw-capture' });
});
