// 1,000 `dig` queries (a third for names that do not exist) from namespace A to dnsmasq in namespace B
// over a veth pair, captured by nw-capture and by tshark on the same interface at the same time:
// queries, responses and NXDOMAIN must match exactly, message for message. No packet leaves the
// two namespaces this test makes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Lab, labSkip } from './capture-lab.ts';
import { parseCaptureLine, type DnsMessage } from '../../electron/collector/capture.ts';
import { noNamespaces } from '../helpers.ts';

const A = `nwcd${process.pid}a`;
const B = `nwcd${process.pid}b`;
const SERVER = '10.213.60.1';
let skip = labSkip(['dnsmasq', 'dig', 'tshark']);
let lab: Lab | undefined;
let dir = '';

before(async () => {
  if (skip) return;
  try { lab = new Lab(A, B); } catch (e) { skip = noNamespaces(e); return; }
  lab.veth([A, 'nwcda', '10.213.60.2/24'], [B, 'nwcdb', `${SERVER}/24`]);
  dir = lab.tmp(); // tshark's dumpcap writes its file here
  await lab.dnsmasq(B, SERVER, ['address=/ok.nw.test/10.213.60.7']);
});

after(() => lab?.cleanup());

test('1,000 dig queries: queries, responses and NXDOMAIN counted exactly as tshark counts them', async (t) => {
  if (skip) return t.skip(skip);
  const pcap = path.join(dir, 'tshark.pcap');
  const captures = await lab!.dnsCaptures(A, 'nwcda', SERVER, pcap);
  // 667 names that exist, 333 that do not; dig -f sends them one after another.
  const names = Array.from({ length: 1000 }, (_, i) => (i % 3 === 2 ? `missing${i}.nw.test` : `h${i}.ok.nw.test`));
  fs.writeFileSync(path.join(dir, 'queries'), names.map((n) => `${n} A`).join('\n') + '\n');
  execFileSync('ip', ['netns', 'exec', A, 'dig', `@${SERVER}`, '+tries=1', '+time=2', '+noall', '+answer', '-f', path.join(dir, 'queries')], { stdio: 'ignore', timeout: 60_000 });
  await sleep(500);
  const out = await captures.finish();

  const ours = out.split('\n').map(parseCaptureLine).flatMap((l) => (l?.kind === 'dns' && l.dns.qname !== 'probe.nw.test' ? [l.dns] : []));
  const key = (id: number, response: boolean, rcode: number, name: string) => `${id}|${response ? 'R' : 'Q'}|${response ? rcode : ''}|${name}`;
  const truth = execFileSync('tshark', ['-r', pcap, '-Y', 'dns', '-T', 'fields', '-e', 'dns.id', '-e', 'dns.flags.response', '-e', 'dns.flags.rcode', '-e', 'dns.qry.name'], { maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'ignore'] })
    .toString().split('\n').filter(Boolean).map((l) => l.split('\t')).filter(([, , , n]) => n !== 'probe.nw.test').map(([id, r, rc, n]) => key(Number(id), r === '1', Number(rc), n!));
  const count = (m: DnsMessage[]) => ({ queries: m.filter((d) => !d.response).length, responses: m.filter((d) => d.response).length, nxdomain: m.filter((d) => d.response && d.rcode === 3).length });
  t.diagnostic(`nw-capture: ${JSON.stringify(count(ours))}; tshark: ${truth.length} messages`);
  assert.deepEqual(count(ours), { queries: 1000, responses: 1000, nxdomain: 333 });
  assert.deepEqual(ours.map((d) => key(d.id, d.response, d.rcode, d.qname!)).sort(), truth.sort(), 'the same messages, id for id');
  assert.ok(ours.every((d) => !d.malformed));
  const stats = parseCaptureLine(out.split('\n').find((l) => l.startsWith('S\t'))!);
  assert.ok(stats?.kind === 'stats' && stats.stats.kernelDrops === 0 && stats.stats.eventsLost === 0, JSON.stringify(stats));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
