// Connection outcomes without the capture, from real nw-sockdiag lines (a destroy-event feed and a dump
// taken in between, in a namespace: a refused connect, one that connected, one nobody answered).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../../helpers.ts';
import { parseSockdiagLine } from '../../../../electron/collector/linux/sockdiag.ts';
import { SocketAttempts } from '../../../../electron/collector/engine/socket-attempts.ts';
import { ConnectTracker } from '../../../../electron/collector/engine/connect-metrics.ts';
import type { SocketSample } from '../../../../electron/collector/sockets.ts';

/** The fixture's sections in time order: destroy events, a dump, destroy events. */
function sections(): Array<{ kind: 'destroy' | 'dump'; sockets: SocketSample[] }> {
  const out: Array<{ kind: 'destroy' | 'dump'; sockets: SocketSample[] }> = [];
  for (const line of fixture('linux', 'nw-sockdiag-destroy-refused-ok-silent--netns.txt').split('\n')) {
    const head = /^# (destroy|dump)$/.exec(line);
    if (head) { out.push({ kind: head[1] as 'destroy' | 'dump', sockets: [] }); continue; }
    const s = parseSockdiagLine(line);
    if (s) out.at(-1)!.sockets.push(s);
  }
  return out;
}

const curl = { id: '/usr/bin/curl', name: 'curl' };

test('destroy events and polls: refused (a RST came back), connected, and unanswered; the app where a poll saw the socket', () => {
  const seen: Array<[string, string | null]> = [];
  const a = new SocketAttempts((outcome, app) => seen.push([outcome, app?.name ?? null]));
  a.poll([], () => null); // the engine's first poll: nothing yet
  for (const s of sections()) {
    if (s.kind === 'destroy') for (const sock of s.sockets) a.destroyed(sock);
    // The dump's SYN-SENT socket (inode 3582656) is curl's; its TIME-WAIT line is the connected one's remains.
    else a.poll(s.sockets, (sock) => (sock.inode === 3582656 ? curl : null));
  }
  assert.deepEqual(seen, [['refused', null], ['ok', null], ['timeout', 'curl']]);
  assert.equal(a.tracked, 0, 'every socket it saw has ended');
});

test('a socket first seen established counts once: at its birth in a poll, not again at its end', () => {
  const [, ok] = sections()[0]!.sockets;
  const live = { ...ok!, state: 'ESTAB' as const, inode: 42 };
  const t = new ConnectTracker();
  t.eventsFollowed = true;
  const a = new SocketAttempts((o, app) => t.event(o, app));
  a.poll([], () => null);
  a.poll([live], () => curl);
  a.poll([live], () => curl);
  a.destroyed(ok!);
  const m = t.snapshot()!;
  assert.equal(m.total.method, 'socket-events');
  assert.deepEqual([m.total.attempts, m.total.successes, m.total.failures], [1, 1, 0]);
  assert.deepEqual(m.apps.map((x) => [x.app, x.successes]), [['curl', 1]]);
});

test('sockets of the first poll were opened before the engine started: not counted; accepted sockets are not attempts', () => {
  const [, ok] = sections()[0]!.sockets;
  const n: string[] = [];
  const a = new SocketAttempts((o) => n.push(o));
  const listener = { ...ok!, state: 'LISTEN' as const, localPort: 7200, remoteIp: null, remotePort: null };
  const accepted = { ...ok!, state: 'ESTAB' as const, localIp: ok!.remoteIp!, localPort: 7200, remoteIp: ok!.localIp, remotePort: ok!.localPort };
  a.poll([{ ...ok!, state: 'ESTAB' }], () => null);
  a.poll([listener, accepted], () => null);
  a.destroyed({ ...accepted, state: 'CLOSE' });
  assert.deepEqual(n, []);
});

test('a flood of outgoing sockets never destroyed keeps at most MAX_TRACKED', async () => {
  const { MAX_TRACKED } = await import('../../../../electron/collector/engine/socket-attempts.ts');
  const syn = sections()[1]!.sockets[0]!; // the SYN-SENT one
  const a = new SocketAttempts(() => {});
  const many = Array.from({ length: MAX_TRACKED + 5000 }, (_, i) => ({ ...syn!, localIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }));
  a.poll(many, () => null);
  assert.equal(a.tracked, MAX_TRACKED);
});
