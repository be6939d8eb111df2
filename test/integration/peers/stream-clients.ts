// Load for `netwatch serve`: `clients` SSE streams, `silent` of which never read a byte, spread over
// loopback source addresses (the server caps connections per address), plus one /api/status probe every
// 500 ms. Reading clients note, per snapshot event, its seq and how long after the engine assembled it
// (the snapshot's ts) its last byte arrived. Prints one JSON summary on stdout after `seconds`.
// Usage: stream-clients.ts '{"port":9273,"token":"…","clients":1000,"silent":100,"seconds":30,"perAddress":40,"minBytes":135000}'
import http from 'node:http';
import net from 'node:net';

const o = JSON.parse(process.argv[2]!) as { port: number; token: string; clients: number; silent: number; seconds: number; perAddress: number; minBytes: number };
const addr = (i: number) => `127.0.${10 + Math.floor(i / o.perAddress / 250)}.${1 + (Math.floor(i / o.perAddress) % 250)}`;
const MARK = Buffer.from('event: snapshot\ndata: ');
const END = Buffer.from('\n\n');

const delays: number[] = [];
let gaps = 0, events = 0, connected = 0, refused = 0, silentClosed = 0;
const reading: Array<{ seqs: number[] }> = [];
let measuring = false;

function reader(i: number): void {
  const me = { seqs: [] as number[] };
  reading.push(me);
  let head = Buffer.alloc(0); // the event's first bytes, where ts and seq are
  let inEvent = false;
  let newline = false; // the last chunk ended with '\n' inside an event
  let tail = Buffer.alloc(0); // a possibly cut MARK between events
  const done = () => {
    inEvent = false;
    if (!measuring) return;
    const text = head.toString('latin1');
    const ts = Number(/"ts":(\d+)/.exec(text)?.[1]);
    const seq = Number(/"seq":(\d+)/.exec(text)?.[1]);
    events++;
    delays.push(Date.now() - ts);
    const last = me.seqs.at(-1);
    if (last !== undefined && seq !== last + 1) gaps++;
    me.seqs.push(seq);
  };
  const req = http.get({ host: '127.0.0.1', port: o.port, path: `/api/stream?token=${o.token}`, localAddress: addr(i), agent: false }, (res) => {
    if (res.statusCode !== 200) { refused++; res.resume(); return; }
    connected++;
    res.on('data', (chunk: Buffer) => {
      let buf = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      tail = Buffer.alloc(0);
      for (;;) {
        if (!inEvent) {
          const at = buf.indexOf(MARK);
          if (at < 0) { tail = Buffer.from(buf.subarray(Math.max(0, buf.length - MARK.length + 1))); return; }
          buf = buf.subarray(at + MARK.length);
          inEvent = true;
          newline = false;
          head = Buffer.from(buf.subarray(0, 80));
        } else if (head.length < 80) {
          head = Buffer.concat([head, buf.subarray(0, 80 - head.length)]);
        }
        if (newline && buf[0] === 10) { newline = false; done(); buf = buf.subarray(1); continue; }
        const end = buf.indexOf(END);
        if (end < 0) { newline = buf.at(-1) === 10; return; }
        done();
        buf = buf.subarray(end + END.length);
      }
    });
  });
  req.on('error', () => { refused++; });
}

function silent(i: number): void {
  const s = net.connect({ host: '127.0.0.1', port: o.port, localAddress: addr(i) }, () => {
    s.write(`GET /api/stream?token=${o.token} HTTP/1.1\r\nHost: 127.0.0.1:${o.port}\r\n\r\n`);
    s.pause(); // never read: the kernel's receive buffer fills and then the server's send buffer
  });
  s.on('close', () => { if (measuring) silentClosed++; });
  s.on('error', () => {});
}

const status = { ok: 0, failed: 0, maxMs: 0 };
function probe(): void {
  const t0 = Date.now();
  const req = http.get({ host: '127.0.0.1', port: o.port, path: '/api/status', headers: { Authorization: `Bearer ${o.token}` }, localAddress: '127.0.9.9', agent: false, timeout: 1000 }, (res) => {
    res.resume();
    res.on('end', () => { if (res.statusCode === 200) status.ok++; else status.failed++; status.maxMs = Math.max(status.maxMs, Date.now() - t0); });
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => { status.failed++; });
}

const getStatus = () => new Promise<Record<string, unknown> | null>((resolve) => {
  const req = http.get({ host: '127.0.0.1', port: o.port, path: '/api/status', headers: { Authorization: `Bearer ${o.token}` }, localAddress: '127.0.9.8', agent: false, timeout: 2000 }, (res) => {
    let body = '';
    res.on('data', (d) => { body += d; }).on('end', () => { try { resolve(JSON.parse(body)); } catch { resolve(null); } });
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => resolve(null));
});
// Start once snapshots are `minBytes` (interface histories fill over the first minute).
let before: Record<string, unknown> | null = null;
for (let i = 0; i < 450 && !(before && Number(before['snapshotBytes']) >= o.minBytes); i++) {
  await new Promise((r) => setTimeout(r, 200));
  before = await getStatus();
}
const warmMs = performance.now();
// Connect in batches so the accept queue is not what is measured.
for (let i = 0; i < o.clients; i++) {
  if (i < o.silent) silent(i); else reader(i);
  if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
}
await new Promise((r) => setTimeout(r, 3000));
measuring = true;
const probes = setInterval(probe, 500);
await new Promise((r) => setTimeout(r, o.seconds * 1000));
measuring = false;
clearInterval(probes);
delays.sort((a, b) => a - b);
const pct = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? null;
const perClient = reading.map((r) => r.seqs.length);
const after = await getStatus();
process.stdout.write(JSON.stringify({
  connected, refused, events, gaps, silentClosed, status, before, after, warmS: Math.round(warmMs / 1000),
  delayMs: { p50: pct(0.5), p99: pct(0.99), max: delays.at(-1) ?? null },
  eventsPerClient: { min: Math.min(...perClient), max: Math.max(...perClient) },
}) + '\n');
process.exit(0);
