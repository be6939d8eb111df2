// The stream under a client that never reads: it was written to without regard for backpressure, so
// the server buffered every snapshot for it (263 MB → 1.43 GB in 90 s with 100 such clients). Real
// sockets on loopback, a real snapshot of this machine, fed far faster than an engine would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { defaultConfig, type EngineLink, type Snapshot } from '../../../../shared/index.ts';
import { Engine } from '../../../../electron/collector/engine/engine.ts';
import { createSources } from '../../../../electron/collector/platform.ts';
import { nodeOs } from '../../../../electron/collector/os.ts';
import { createServer, defaultStaticDir } from '../../../../electron/collector/serve/server.ts';
import type { Feed } from '../../../../electron/collector/serve/feed.ts';

test('a client that never reads gets no snapshot while its queue is full and is dropped once it has not moved for slowClientMs; a reading one stays and gets every paced snapshot', { timeout: 60_000 }, async () => {
  const engine = new Engine({ sources: createSources(nodeOs), os: nodeOs, config: { ...defaultConfig(), probes: false }, emit: () => {}, listInSnapshots: false });
  await engine.pollAll();
  const snap = engine.snapshot();
  engine.stop();
  const subs: Array<(s: Snapshot) => void> = [];
  const feed: Feed = {
    onSnapshot: (cb) => { subs.push(cb); }, onLink: (cb: (l: EngineLink) => void) => cb({ state: 'up' }),
    query: () => Promise.reject(new Error('not asked')), usage: () => Promise.reject(new Error('not asked')), setVisible: () => {}, setConfig: () => {}, enginePid: () => null, restarts: () => 0, stop: () => {},
  };
  const server = createServer({ host: '127.0.0.1', port: 0, token: null, staticDir: defaultStaticDir(), feed, slowClientMs: 1000 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const silent = net.connect(port, '127.0.0.1', () => { silent.write(`GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`); silent.pause(); });
  silent.on('error', () => {});
  // The silent client never reads, so it would not see its own close: ask the server.
  const status = async () => (await fetch(`http://127.0.0.1:${port}/api/status`)).json() as Promise<{ slowClientsDropped: number; clients: number; connections: number }>;
  let silentClosed = false;
  const seqs: number[] = [];
  let text = '';
  await new Promise<void>((resolve) => http.get({ port, host: '127.0.0.1', path: '/api/stream', localAddress: '127.0.0.2' }, (res) => {
    res.setEncoding('utf8').on('data', (d: string) => {
      text += d;
      let end;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const m = /^event: snapshot\ndata: .*?"seq":(\d+)/.exec(text.slice(0, end));
        if (m) seqs.push(Number(m[1]));
        text = text.slice(end + 2);
      }
    });
    resolve();
  }));
  await new Promise((r) => setTimeout(r, 200));
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().external;
  let sent = 0;
  const t0 = Date.now();
  // ~2,000 snapshots/s: the kernel's buffers for the silent socket fill within a few seconds.
  while (!silentClosed && Date.now() - t0 < 30_000) {
    for (let i = 0; i < 20; i++) { sent++; for (const cb of subs) cb({ ...snap, seq: sent }); }
    await new Promise((r) => setTimeout(r, 10));
    if (sent % 2000 === 0) silentClosed = (await status()).slowClientsDropped > 0;
  }
  const grew = process.memoryUsage().heapUsed + process.memoryUsage().external - heapBefore;
  // Paced like an engine (if faster), the reading client gets every one: in the bursts above it could be
  // behind itself for a moment and miss some, by design.
  const paced = sent;
  for (let i = 0; i < 50; i++) { sent++; for (const cb of subs) cb({ ...snap, seq: sent }); await new Promise((r) => setTimeout(r, 20)); }
  await new Promise((r) => setTimeout(r, 300));
  const st = await status();
  server.closeAllConnections();
  server.close();
  assert.ok(silentClosed, `the silent client was never dropped (${sent} snapshots of ${JSON.stringify(snap).length} B sent)`);
  assert.equal(st.slowClientsDropped, 1);
  assert.equal(st.clients, 1, 'the reading client stays');
  assert.equal(st.connections, 2, 'the silent one\'s connection is closed (the reader and this status request remain)');
  assert.ok(grew < 64 << 20, `memory grew ${(grew / 1e6).toFixed(0)} MB while it was not reading`);
  assert.deepEqual(seqs.filter((s) => s > paced), Array.from({ length: 50 }, (_, i) => paced + 1 + i), 'the reading client got every paced snapshot');
});

test('a client that was behind when the link changed gets the current link state once it catches up', async () => {
  const { StreamHub } = await import('../../../../electron/collector/serve/stream.ts');
  const written: string[] = [];
  let queued = 0;
  const res = { write: (b: Buffer) => { written.push(b.toString()); return true; }, get writableLength() { return queued; }, on: () => res, destroy: () => {}, end: () => {} };
  const hub = new StreamHub({ state: 'up' }, { now: () => 0, slowClientMs: 60_000 });
  hub.add(res as unknown as http.ServerResponse, () => {});
  written.length = 0;
  queued = 5000; // its socket is full
  hub.link({ state: 'down', reason: 'engine killed by SIGKILL; restarting in 1 s' });
  hub.snapshot({ seq: 1 });
  assert.deepEqual(written, [], 'nothing queued behind a full socket');
  queued = 0; // caught up
  hub.snapshot({ seq: 2 });
  assert.equal(written.length, 2);
  assert.match(written[0]!, /^event: link\ndata: .*"down"/, 'the link change it missed comes first');
  assert.match(written[1]!, /^event: snapshot\ndata: \{"seq":2\}/);
  hub.snapshot({ seq: 3 });
  assert.equal(written.length, 3, 'and only once');
});

test('closing the server while a page streams: the feed\'s last link change (engine stopped) is not written to the ended response', async () => {
  let linkCb: ((l: EngineLink) => void) | null = null;
  const feed: Feed = {
    onSnapshot: () => {}, onLink: (cb) => { linkCb = cb; cb({ state: 'up' }); },
    query: () => Promise.reject(new Error('not asked')), usage: () => Promise.reject(new Error('not asked')), setVisible: () => {}, setConfig: () => {}, enginePid: () => null, restarts: () => 0,
    // As liveFeed's: the supervisor stops the engine and reports the link down.
    stop: () => { linkCb?.({ state: 'down', reason: 'engine stopped' }); },
  };
  const server = createServer({ host: '127.0.0.1', port: 0, token: null, staticDir: defaultStaticDir(), feed });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const errors: Error[] = [];
  const onUncaught = (e: Error) => { errors.push(e); };
  process.on('uncaughtException', onUncaught);
  await new Promise<void>((resolve) => http.get({ port, host: '127.0.0.1', path: '/api/stream' }, (res) => {
    res.once('data', () => {
      server.closeAllConnections();
      server.close();
      res.on('close', () => resolve());
    });
    res.on('error', () => {});
  }));
  await new Promise((r) => setTimeout(r, 100));
  process.off('uncaughtException', onUncaught);
  assert.deepEqual(errors.map((e) => e.message), []);
});
