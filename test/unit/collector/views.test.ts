// Views with their own port to the engine (Electron's MessageChannelMain in the app; Node's
// MessageChannel here, same semantics): snapshots to every view, answers only to the asker, queries only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { ViewHub, type ViewPort } from '../../../electron/collector/views.ts';
import { Engine } from '../../../electron/collector/engine/engine.ts';
import { createSources } from '../../../electron/collector/platform.ts';
import { nodeOs } from '../../../electron/collector/os.ts';
import { defaultConfig, defaultQuery, type EngineMessage } from '../../../shared/index.ts';

const nodePort = (p: MessagePort): ViewPort => ({
  post: (m) => p.postMessage(m), onMessage: (h) => { p.on('message', h); }, onClose: (h) => { p.on('close', h); },
});
const next = (p: MessagePort): Promise<EngineMessage> => new Promise((r) => p.once('message', r));

test('snapshots reach every view; a query is answered on its own port; anything else is rejected; closing detaches', async () => {
  const engine = new Engine({ sources: createSources(nodeOs), os: nodeOs, config: { ...defaultConfig(), probes: false }, emit: () => {} });
  const hub = new ViewHub((q) => engine.queryConnections(q));
  const a = new MessageChannel(), b = new MessageChannel();
  hub.attach(nodePort(a.port1));
  hub.attach(nodePort(b.port1));
  try {
    await engine.pollAll();
    const both = [next(a.port2), next(b.port2)];
    hub.broadcast({ type: 'snapshot', snapshot: engine.snapshot() });
    for (const m of await Promise.all(both)) assert.equal(m.type, 'snapshot');

    let bGot = 0;
    b.port2.on('message', () => bGot++);
    a.port2.postMessage({ type: 'query-connections', requestId: 'r1', query: { ...defaultQuery(), limit: 3 } });
    const answer = await next(a.port2);
    assert.equal(answer.type, 'connections');
    if (answer.type === 'connections') {
      assert.equal(answer.requestId, 'r1');
      assert.ok(answer.page.total > 0 && answer.page.rows.length <= 3, `${answer.page.total} sockets`);
    }
    // A view may not reconfigure or stop the engine.
    a.port2.postMessage({ type: 'stop' });
    const refused = await next(a.port2);
    assert.equal(refused.type, 'rejected');
    assert.equal(bGot, 0, 'the other view heard none of it');

    b.port2.close();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(hub.size, 1);
  } finally {
    a.port2.close();
    b.port2.close();
    engine.stop();
  }
});
