// DNS analytics against tshark: `dig` queries from namespace A to dnsmasq in namespace B (some for names
// that do not exist, some never answered), with the answers held 0–650 ms by a forwarder (peers/
// dns-delay.ts; this kernel has no netem) so latencies fall in every bucket. nw-capture and tshark read
// A's interface at the same time; the analytics fed with the helper's messages must give tshark's
// counts exactly, and its latency buckets from `dns.time`. No packet leaves the two namespaces.
// NW_FIXTURE_OUT=dir keeps both outputs there (how the unit test's fixtures were made).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, noNamespaces } from '../helpers.ts';
import { Lab, labSkip, printed } from './capture-lab.ts';
import { dnsAgainstTshark } from '../dns-truth.ts';

const A = `nwda${process.pid}a`;
const B = `nwda${process.pid}b`;
const SERVER = '10.213.61.1';
const DELAYS = [0, 7, 17, 37, 70, 170, 370, 650];
let skip = labSkip(['dnsmasq', 'dig', 'tshark']);
let lab: Lab | undefined;
let dir = '';

before(async () => {
  if (skip) return;
  try { lab = new Lab(A, B); } catch (e) { skip = noNamespaces(e); return; }
  lab.veth([A, 'nwdaa', '10.213.61.2/24'], [B, 'nwdab', `${SERVER}/24`]);
  dir = lab.tmp();
  await lab.dnsmasq(B, '127.0.0.1', ['port=5300', 'address=/ok.nw.test/10.213.61.7']);
  const fwd = spawn('ip', ['netns', 'exec', B, process.execPath, path.join(ROOT, 'test', 'integration', 'peers', 'dns-delay.ts'), SERVER, '53', '127.0.0.1', '5300'], { stdio: ['ignore', 'pipe', 'inherit'] });
  lab.children.push(fwd);
  await printed(fwd, 'stdout', /ready/);
});

after(() => lab?.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('dig through a delaying forwarder: counts, NXDOMAIN, unanswered and latency buckets exactly as tshark has them', async (t) => {
  if (skip) return t.skip(skip);
  const pcap = path.join(dir, 'tshark.pcap');
  const captures = await lab!.dnsCaptures(A, 'nwdaa', SERVER, pcap);
  // 8 dig processes at once, 40 names each: every delay, a third NXDOMAIN, 2 never answered per process.
  const files = Array.from({ length: 8 }, (_, p) => {
    const names = Array.from({ length: 40 }, (_, i) => {
      const n = p * 40 + i;
      if (i % 20 === 19) return `drop-${n}.ok.nw.test`;
      return `d${DELAYS[(n * 5 + p) % DELAYS.length]}-${n}.${n % 3 === 2 ? 'missing' : 'ok'}.nw.test`;
    });
    const f = path.join(dir, `queries${p}`);
    fs.writeFileSync(f, names.map((x) => `${x} A`).join('\n') + '\n');
    return f;
  });
  const run = promisify(execFile);
  await Promise.all(files.map((f) => run('ip', ['netns', 'exec', A, 'dig', `@${SERVER}`, '+tries=1', '+time=2', '+noall', '-f', f], { timeout: 60_000 }).catch(() => null)));
  await sleep(500);
  const out = await captures.finish();

  const fields = execFileSync('tshark', ['-2', '-r', pcap, '-Y', 'dns', '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'dns.id', '-e', 'dns.flags.response', '-e', 'dns.flags.rcode', '-e', 'dns.qry.name', '-e', 'dns.time', '-e', 'dns.response_in'],
    { maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  if (process.env['NW_FIXTURE_OUT']) {
    fs.writeFileSync(path.join(process.env['NW_FIXTURE_OUT'], 'nw-capture-serve-dns-delayed--netns-dnsmasq.txt'), out);
    fs.writeFileSync(path.join(process.env['NW_FIXTURE_OUT'], 'tshark-T-fields-dns-time--netns-dnsmasq-delayed.txt'), fields);
  }
  const { tshark: truth, ours } = dnsAgainstTshark(out, fields);
  t.diagnostic(`analytics: ${JSON.stringify(ours)}`);
  const { latencySumMs: ourSum, ...figures } = ours, { latencySumMs: theirSum, ...truthFigures } = truth;
  assert.deepEqual(figures, truthFigures);
  assert.ok(Math.abs(ourSum - theirSum) < 1, `latency sum ${ourSum} ms, tshark ${theirSum} ms`);
  assert.equal(ours.queries, 320);
  assert.equal(ours.unanswered, 16);
  assert.ok(ours.nxdomain > 90, `${ours.nxdomain} NXDOMAIN`);
  assert.ok(ours.latencyBuckets.filter((n) => n > 0).length >= 6, `spread over the buckets: ${ours.latencyBuckets.join(' ')}`);
});
