// The connection query every view uses: filters, sort with unknowns last, pages, and copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConnectionQuerySchema, connectionKey, defaultQuery, queryConnections, parseRoute, routeOf, sameConnection, type Connection } from '../../../shared/index.ts';

const conn = (o: Partial<Connection>): Connection => ({
  protocol: 'tcp', local: '127.0.0.1:1', remote: null, state: 'LISTEN', pid: null, process: null, inode: 1, rttUs: null,
  bytesSent: null, bytesReceived: null, txBps: 0, rxBps: 0, tcp: null, ...o,
});
const rows = [
  conn({ local: '127.0.0.1:8080', state: 'LISTEN', pid: 10, process: 'nginx' }),
  conn({ local: '127.0.0.1:8080', remote: '127.0.0.1:50000', state: 'ESTAB', pid: 10, process: 'nginx', rxBps: 500, rttUs: 40, tcp: { cwnd: 10, ssthresh: null, mssBytes: 65483, sndWndBytes: 1, rcvWndBytes: 1, retransmits: 0, congestion: 'cubic' } }),
  conn({ local: '127.0.0.1:50000', remote: '127.0.0.1:8080', state: 'ESTAB', pid: 20, process: 'curl', rxBps: 9000, rttUs: 35 }),
  conn({ protocol: 'udp', local: '[::]:5353', state: 'UNCONN', pid: null, process: null }),
  conn({ local: '10.0.0.2:41000', remote: '[2606:4700::1]:443', state: 'TIME-WAIT', inode: 0 }),
];
const q = (o: Partial<ReturnType<typeof defaultQuery>>) => ({ ...defaultQuery(), ...o });

test('filters by pid, state, protocol, port (either side) and text', () => {
  assert.equal(queryConnections(rows, q({ pid: 10 }), 1).matched, 2);
  assert.equal(queryConnections(rows, q({ state: 'ESTAB' }), 1).matched, 2);
  assert.equal(queryConnections(rows, q({ protocol: 'udp' }), 1).rows[0]!.local, '[::]:5353');
  assert.equal(queryConnections(rows, q({ port: 8080 }), 1).matched, 3);
  assert.equal(queryConnections(rows, q({ port: 443 }), 1).matched, 1);
  assert.equal(queryConnections(rows, q({ text: ' CURL ' }), 1).matched, 1);
  assert.equal(queryConnections(rows, q({ text: '2606:4700' }), 1).matched, 1);
  assert.equal(queryConnections(rows, q({ text: '20' }), 1).matched, 1, 'a pid matches whole, not as a substring of ports');
  const all = queryConnections(rows, q({}), 7);
  assert.deepEqual([all.total, all.matched, all.connectionsTs], [5, 5, 7]);
});

test('sorts both ways with unknown values last, ties by local port, remote port, inode; pages are slices', () => {
  const ties = queryConnections(rows, q({ sort: 'rxBps', descending: true }), 1).rows.map((r) => [r.rxBps, r.local]);
  assert.deepEqual(ties, [[9000, '127.0.0.1:50000'], [500, '127.0.0.1:8080'], [0, '[::]:5353'], [0, '127.0.0.1:8080'], [0, '10.0.0.2:41000']]);
  const up = queryConnections(rows, q({ sort: 'rttUs', descending: false }), 1).rows.map((r) => r.rttUs);
  assert.deepEqual(up, [35, 40, null, null, null]);
  const down = queryConnections(rows, q({ sort: 'rttUs', descending: true }), 1).rows.map((r) => r.rttUs);
  assert.deepEqual(down, [40, 35, null, null, null]);
  const byPid = queryConnections(rows, q({ sort: 'pid', descending: true }), 1).rows.map((r) => r.pid);
  assert.deepEqual(byPid, [20, 10, 10, null, null]);
  const local = queryConnections(rows, q({ sort: 'local', descending: false }), 1).rows.map((r) => r.local);
  assert.deepEqual(local.slice(1), ['10.0.0.2:41000', '127.0.0.1:8080', '127.0.0.1:8080', '127.0.0.1:50000'], 'numbers in natural order');
  const page = queryConnections(rows, q({ sort: 'local', descending: false, offset: 2, limit: 2 }), 1);
  assert.deepEqual(page.rows.map((r) => r.local), local.slice(2, 4));
  assert.equal(page.matched, 5);
});

test('answers are copies: the engine updates its rows in place after sending', () => {
  const page = queryConnections(rows, q({ pid: 10, state: 'ESTAB' }), 1);
  page.rows[0]!.rxBps = 1;
  page.rows[0]!.tcp!.cwnd = 1;
  assert.equal(rows[1]!.rxBps, 500);
  assert.equal(rows[1]!.tcp!.cwnd, 10);
  assert.deepEqual(structuredClone(page), page);
});

test('the schema refuses pages over 1000 rows, negative offsets and unknown sort keys; any valid query never throws', () => {
  assert.ok(!ConnectionQuerySchema.safeParse(q({ limit: 1001 })).success);
  assert.ok(!ConnectionQuerySchema.safeParse(q({ offset: -1 })).success);
  assert.ok(!ConnectionQuerySchema.safeParse({ ...q({}), sort: 'inode' }).success);
  fc.assert(fc.property(fc.record({
    text: fc.string({ maxLength: 20 }), offset: fc.nat(10), limit: fc.nat(10), descending: fc.boolean(),
    sort: fc.constantFrom(...(['process', 'pid', 'rttUs', 'local', 'remote', 'state', 'rxBps'] as const)),
    port: fc.option(fc.integer({ min: 0, max: 65535 })),
  }), (o) => {
    const page = queryConnections(rows, q(o), 1);
    assert.ok(page.rows.length <= o.limit && page.matched <= rows.length);
  }), { numRuns: 2000 });
});

// Only the page is sorted (selection first): any page must equal that slice of the whole list sorted.
test('a page equals the same slice of the fully sorted list, for any rows, sort, direction, offset and limit', () => {
  const port = fc.integer({ min: 0, max: 5 });
  const row = fc.record({
    lp: port, rp: fc.option(port), inode: fc.nat(3), pid: fc.option(fc.integer({ min: 1, max: 3 })),
    rx: fc.option(fc.constantFrom(0, 0.5, 1, 2.25)), rtt: fc.option(fc.nat(3)), proc: fc.option(fc.constantFrom('a', 'b', 'B')),
  }).map((r) => conn({
    local: `127.0.0.1:${r.lp}`, remote: r.rp === null ? null : `10.0.0.${r.rp}:${r.rp}`, inode: r.inode, pid: r.pid,
    rxBps: r.rx ?? 0, rttUs: r.rtt, process: r.proc, state: r.rp === null ? 'LISTEN' : 'ESTAB',
  }));
  const port_ = (e: string | null) => (e === null ? -1 : Number(e.slice(e.lastIndexOf(':') + 1)));
  const key = (c: Connection, k: 'process' | 'pid' | 'rttUs' | 'rxBps' | 'remote') => c[k];
  const collator = new Intl.Collator('en', { numeric: true });
  fc.assert(fc.property(fc.array(row, { maxLength: 60 }), fc.constantFrom('process', 'pid', 'rttUs', 'rxBps', 'remote' as const),
    fc.boolean(), fc.nat(70), fc.nat(70), (list, sort, descending, offset, limit) => {
      const full = [...list].sort((a, b) => {
        const x = key(a, sort), y = key(b, sort);
        const c = x === y ? 0 : x === null ? 1 : y === null ? -1
          : (typeof x === 'number' ? Math.sign(x - (y as number)) : collator.compare(String(x), String(y))) * (descending ? -1 : 1);
        return c || port_(a.local) - port_(b.local) || port_(a.remote) - port_(b.remote) || a.inode - b.inode;
      });
      const page = queryConnections(list, q({ sort, descending, offset, limit }), 1);
      const view = (r: Connection) => [key(r, sort), port_(r.local), port_(r.remote), r.inode];
      assert.deepEqual(page.rows.map(view), full.slice(offset, offset + limit).map(view));
      assert.equal(page.matched, list.length);
    }), { numRuns: 3000 });
});

test('routes: hash ⇄ view and argument', () => {
  assert.deepEqual(parseRoute(''), { view: 'popover', arg: null });
  assert.deepEqual(parseRoute('#/connections/1234'), { view: 'connections', arg: '1234' });
  assert.deepEqual(parseRoute(routeOf('interface', 'br-1 x')), { view: 'interface', arg: 'br-1 x' });
  assert.deepEqual(parseRoute('#/nonsense'), { view: 'popover', arg: null });
});

test('state counts cover every filter but the state one, so a chip counts what clicking it shows', () => {
  const byPid = queryConnections(rows, q({ pid: 10 }), 1);
  assert.deepEqual(byPid.states, { LISTEN: 1, ESTAB: 1 });
  const chosen = queryConnections(rows, q({ pid: 10, state: 'ESTAB' }), 1);
  assert.deepEqual(chosen.states, { LISTEN: 1, ESTAB: 1 }, 'the state filter itself does not narrow the chips');
  assert.equal(chosen.matched, chosen.states.ESTAB);
  assert.deepEqual(queryConnections(rows, q({ text: '127.0.0.1' }), 1).states, { LISTEN: 1, ESTAB: 2 });
  assert.deepEqual(queryConnections(rows, q({}), 1).states, { LISTEN: 1, ESTAB: 2, UNCONN: 1, 'TIME-WAIT': 1 });
});

test('the selected connection is found by identity wherever a sort or a poll puts it', () => {
  const key = connectionKey(rows[2]!); // curl, rx 9000
  const down = queryConnections(rows, q({ sort: 'rxBps', descending: true, select: key, limit: 1 }), 1);
  assert.equal(down.selectedIndex, 0);
  const up = queryConnections(rows, q({ sort: 'rxBps', descending: false, select: key, limit: 1 }), 1);
  assert.equal(up.selectedIndex, 4, 'found beyond the page asked for');
  const next = [...rows.slice(0, 2), { ...rows[2]!, rxBps: 1 }, ...rows.slice(3)];
  assert.equal(queryConnections(next, q({ sort: 'rxBps', descending: true, select: key }), 2).selectedIndex, 1, 'a poll moved it');
  for (const sort of ['process', 'pid', 'local', 'remote', 'state', 'rttUs'] as const) {
    for (const descending of [true, false]) {
      const p = queryConnections(rows, q({ sort, descending, select: key }), 1);
      assert.ok(sameConnection(connectionKey(p.rows[p.selectedIndex!]!), key), `${sort} ${descending}`);
    }
  }
  assert.equal(queryConnections(rows, q({ state: 'LISTEN', select: key }), 1).selectedIndex, null, 'the filter hides it');
  assert.equal(queryConnections(rows.filter((_, i) => i !== 2), q({ select: key }), 1).selectedIndex, null, 'it closed');
  assert.equal(queryConnections(rows, q({}), 1).selectedIndex, null, 'none asked');
  // TIME-WAIT sockets all have inode 0 and may share a local endpoint: the remote tells them apart.
  const tw = [conn({ local: '127.0.0.1:80', remote: '127.0.0.1:5001', state: 'TIME-WAIT', inode: 0 }), conn({ local: '127.0.0.1:80', remote: '127.0.0.1:5002', state: 'TIME-WAIT', inode: 0 })];
  const second = connectionKey(tw[1]!);
  assert.ok(!sameConnection(connectionKey(tw[0]!), second));
  assert.equal(queryConnections(tw, q({ sort: 'remote', descending: true, select: second }), 1).selectedIndex, 0);
  assert.equal(queryConnections(tw, q({ sort: 'remote', descending: false, select: second }), 1).selectedIndex, 1);
  assert.ok(ConnectionQuerySchema.safeParse(q({ select: key })).success);
  assert.ok(!ConnectionQuerySchema.safeParse(q({ select: { ...key, inode: -1 } })).success);
});
