// Records ordinary lab traffic as intelligence events (electron/collector/engine/intel/events.ts), for
// the no-false-alarm test (test/unit/collector/intel-replay.test.ts) that replays it on an injected
// clock. Real timings: run it once, in real time (10 minutes by default).
//   sudo node_modules/.bin/node scripts/record-intel-lab.ts [OUT.jsonl] [SECONDS]
// Namespace A is "this machine" (nw-capture runs there on every interface, as the engine does); B serves
// over one veth: dnsmasq answering every name, HTTP with keep-alive, a TCP service on 443, an NTP-like
// UDP service on 123, a bulk download. No packet leaves the two namespaces this script makes.
// The traffic, from A: HTTP keep-alive polling every 2 s; five browser-like bursts of 30 parallel
// connections to B:443 at irregular times; an NTP-like query every 64 s; 200 lookups of distinct
// ordinary domains at random times (each followed by a connection to the address it gave, as a browser
// does); a download at 80 % of the default bandwidth threshold (50 MB/s) for 30 s; three refused
// connections (an app trying a closed port).
import { fork, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { ReportBuilder } from '../electron/collector/capture.ts';
import { DEFAULT_CAPTURE } from '../electron/collector/platform.ts';
import { eventLine, eventsOfReport, type IntelEvent } from '../electron/collector/engine/intel/events.ts';
import { Lab, ipCmd } from '../test/integration/capture-lab.ts';

const A = `nwil${process.pid}a`, B = `nwil${process.pid}b`;
const A_IP = '10.213.80.2', B_IP = '10.213.80.1';
const DOWNLOAD_BPS = 0.8 * 50_000_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 50 ordinary registrable domains × 4 common host names = 200 distinct names (answered by dnsmasq in B only). */
const DOMAINS = ['wikipedia.org', 'github.com', 'debian.org', 'mozilla.org', 'python.org', 'nodejs.org', 'bbc.co.uk', 'theguardian.com', 'nytimes.com', 'reuters.com',
  'stackoverflow.com', 'kernel.org', 'gnu.org', 'apache.org', 'npmjs.com', 'rust-lang.org', 'golang.org', 'archlinux.org', 'ubuntu.com', 'fedoraproject.org',
  'openstreetmap.org', 'weather.gov', 'nasa.gov', 'europa.eu', 'bund.de', 'gov.uk', 'lemonde.fr', 'spiegel.de', 'elpais.com', 'corriere.it',
  'amazon.co.uk', 'ebay.de', 'etsy.com', 'ikea.com', 'booking.com', 'airbnb.com', 'spotify.com', 'soundcloud.com', 'vimeo.com', 'twitch.tv',
  'reddit.com', 'medium.com', 'wordpress.org', 'blogger.com', 'tumblr.com', 'imdb.com', 'duckduckgo.com', 'arxiv.org', 'nature.com', 'sciencedirect.com'];
const NAMES = DOMAINS.flatMap((d) => ['www', 'static', 'api', 'cdn'].map((h) => `${h}.${d}`));

async function server(): Promise<void> {
  http.createServer((_q, r) => r.end('{"ok":true}')).listen(80, B_IP);
  net.createServer((c) => { c.end(Buffer.alloc(20_000)); c.on('error', () => {}); }).listen(443, B_IP);
  const ntp = dgram.createSocket('udp4');
  ntp.on('message', (m, r) => ntp.send(Buffer.alloc(48), r.port, r.address));
  ntp.bind(123, B_IP);
  // The download: DOWNLOAD_BPS paced in 10 ms steps for as long as the connection stays open.
  net.createServer((c) => {
    const t0 = performance.now();
    let sent = 0;
    const step = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * DOWNLOAD_BPS) - sent;
      if (due > 0 && c.writableLength < 4 << 20) { c.write(Buffer.alloc(due)); sent += due; }
    }, 10);
    c.on('close', () => clearInterval(step)).on('error', () => {});
  }).listen(8080, B_IP);
  process.send!('ready');
}

async function client(seconds: number): Promise<void> {
  const end = Date.now() + seconds * 1000;
  const at = (frac: number) => frac * seconds * 1000;
  const timers: Array<Promise<void>> = [];
  const later = (ms: number, f: () => Promise<void> | void) => timers.push(sleep(ms).then(f).catch((e) => console.error('client:', e)));
  // HTTP keep-alive polling: one connection reused every 2 s.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const poll = setInterval(() => http.get({ host: B_IP, port: 80, path: '/poll', agent }, (r) => r.resume()).on('error', () => {}), 2000);
  const connect = (port: number) => new Promise<void>((res) => {
    const s = net.connect(port, B_IP, () => s.resume()).on('error', () => res()).on('close', () => res());
  });
  // Browser-like bursts at irregular times (a page load each).
  for (const f of [0.03, 0.16, 0.38, 0.52, 0.78]) later(at(f), () => Promise.all(Array.from({ length: 30 }, () => connect(443))).then(() => {}));
  // NTP-like query every 64 s.
  const ntp = dgram.createSocket('udp4');
  ntp.on('message', () => {}).bind();
  const ntpTimer = setInterval(() => ntp.send(Buffer.alloc(48, 0x1b), 123, B_IP), 64_000);
  // 200 lookups at random times, each followed by a connection to the answer (port 443).
  const r = new Resolver({ timeout: 2000, tries: 1 });
  r.setServers([B_IP]);
  NAMES.map((n) => ({ n, t: Math.random() * at(0.97) })).forEach(({ n, t }) => later(t, async () => {
    const [addr] = await r.resolve4(n).catch(() => [] as string[]);
    if (addr) await connect(443);
  }));
  // The download, 30 s at 80 % of the threshold.
  later(at(0.6), () => new Promise<void>((res) => {
    const s = net.connect(8080, B_IP, () => s.resume());
    s.on('error', () => res()).on('close', () => res());
    setTimeout(() => s.destroy(), Math.min(30_000, at(0.3)));
  }));
  // Three refused attempts (nothing listens on 8443).
  for (const f of [0.1, 0.45, 0.9]) later(at(f), () => connect(8443));
  await sleep(end - Date.now());
  await Promise.all(timers);
  clearInterval(poll); clearInterval(ntpTimer); agent.destroy(); ntp.close();
  process.send!('done');
}

/** Interface rates in A every second (bytes/s from `ip -s -j link`), loopback left out. */
function rates(prev: Map<string, { rx: number; tx: number; ts: number }>): IntelEvent[] {
  const now = Date.now();
  const links = JSON.parse(ipCmd('-n', A, '-s', '-j', 'link', 'show')) as Array<{ ifname: string; link_type: string; stats64: { rx: { bytes: number }; tx: { bytes: number } } }>;
  const out: IntelEvent[] = [];
  for (const l of links) {
    if (l.link_type === 'loopback') continue;
    const p = prev.get(l.ifname), rx = l.stats64.rx.bytes, tx = l.stats64.tx.bytes;
    prev.set(l.ifname, { rx, tx, ts: now });
    if (p && now > p.ts) out.push({ kind: 'rate', ts: now, interface: l.ifname, rxBps: ((rx - p.rx) * 1000) / (now - p.ts), txBps: ((tx - p.tx) * 1000) / (now - p.ts) });
  }
  return out;
}

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'test/fixtures/intel/lab-ordinary.jsonl');
  const seconds = Number(process.argv[3] ?? 600);
  if (process.getuid?.() !== 0) throw new Error('needs root (namespaces, capture)');
  const lab = new Lab(A, B);
  process.on('exit', () => lab.cleanup());
  process.on('SIGINT', () => process.exit(130));
  lab.veth([A, 'nwila', `${A_IP}/24`], [B, 'nwilb', `${B_IP}/24`]);
  await lab.dnsmasq(B, B_IP, [`address=/#/${B_IP}`]);
  const self = import.meta.filename;
  const inNs = (ns: string, ...args: string[]) => fork(self, args, { execPath: 'ip', execArgv: ['netns', 'exec', ns, process.execPath, ...process.execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const srv = inNs(B, 'server');
  lab.children.push(srv);
  await new Promise((r) => srv.once('message', r));

  const helper = spawn('ip', ['netns', 'exec', A, DEFAULT_CAPTURE, '--serve', '-i', 'any'], { stdio: ['pipe', 'pipe', 'inherit'] });
  lab.children.push(helper);
  const b = new ReportBuilder();
  const events: IntelEvent[] = [];
  let reported: (() => void) | null = null;
  readline.createInterface({ input: helper.stdout! }).on('line', (l) => {
    const r = b.line(l);
    if (b.error) throw new Error(`nw-capture: ${b.error}`);
    if (r) { events.push(...eventsOfReport(r)); reported?.(); }
  });
  const report = () => new Promise<void>((res) => { reported = res; helper.stdin!.write('\n'); });
  await report(); // the first report once the helper captures
  const prev = new Map<string, { rx: number; tx: number; ts: number }>();
  rates(prev);
  const cl = inNs(A, 'client', String(seconds));
  lab.children.push(cl);
  let done = false;
  cl.once('message', () => { done = true; });
  while (!done) { await sleep(1000); await report(); events.push(...rates(prev)); }
  await sleep(4000); await report(); // SYNs still waiting time out in the helper
  events.sort((x, y) => x.ts - y.ts);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, events.map(eventLine).join('\n') + '\n');
  const n = (k: string) => events.filter((e) => e.kind === k).length;
  console.log(`${out}: ${events.length} events over ${seconds} s (${n('connect')} connects, ${n('dns')} DNS messages, ${n('rate')} rates); ${b.bad} bad lines`);
  helper.stdin!.end();
  process.exit(0);
}

const role = process.argv[2];
if (role === 'server') void server();
else if (role === 'client') void client(Number(process.argv[3]));
else main().catch((e) => { console.error(e); process.exit(1); });
