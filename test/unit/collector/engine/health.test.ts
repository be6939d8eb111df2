// Gateway probes without ping (issue 12 point 11): the fallbacks, in order, and the method said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProbeTrack, probeGateway, type GatewayProbeDeps } from '../../../../electron/collector/engine/health.ts';
import { good, bad } from '../../../../electron/collector/sources.ts';
import { unavailable } from '../../../../shared/index.ts';
import type { ConnectResult, DnsResult } from '../../../../electron/collector/os.ts';

const deps = (o: { ping?: 'reply' | 'silent' | 'missing'; tcp?: Record<number, ConnectResult>; dns?: DnsResult }): GatewayProbeDeps & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    ping: async () => {
      asked.push('ping');
      if (o.ping === 'missing') return bad(unavailable('ping: not installed'));
      return good({ rttMs: o.ping === 'reply' ? 1.5 : null, transmitted: 1, received: o.ping === 'reply' ? 1 : 0 });
    },
    tcpConnect: async (_h, port) => { asked.push(`tcp:${port}`); return o.tcp?.[port] ?? { ok: false, reason: 'no answer' }; },
    dnsQuery: async () => { asked.push('dns'); return o.dns ?? { ok: false, reason: 'no answer' }; },
  };
};

test('ICMP first: a reply is the figure, nothing else is sent', async () => {
  const d = deps({ ping: 'reply' });
  assert.deepEqual(await probeGateway(d, '10.0.0.1'), { kind: 'reply', rttMs: 1.5, method: 'icmp', note: null });
  assert.deepEqual(d.asked, ['ping']);
});

test('no echo reply: a TCP handshake (a reset counts) times the gateway, and says why', async () => {
  const d = deps({ ping: 'silent', tcp: { 80: { ok: true, rttMs: 0.8, outcome: 'refused' } } });
  const r = await probeGateway(d, '10.0.0.1');
  assert.deepEqual(r, { kind: 'reply', rttMs: 0.8, method: 'tcp-connect', note: 'TCP handshake to port 80 (refused): no ICMP echo reply' });
});

test('ping missing and no TCP answer: a DNS query to the gateway; all silent: lost, with every reason', async () => {
  const viaDns = await probeGateway(deps({ ping: 'missing', dns: { ok: true, rttMs: 3 } }), '10.0.0.1');
  assert.equal(viaDns.kind === 'reply' && viaDns.method, 'dns-query');
  assert.match(viaDns.kind === 'reply' ? viaDns.note! : '', /ping unavailable \(ping: not installed\)/);
  const none = await probeGateway(deps({ ping: 'missing' }), '10.0.0.1');
  assert.deepEqual(none, { kind: 'lost', reason: 'no reply: ping unavailable (ping: not installed), no TCP answer on ports 53/80/443, DNS no answer' });
});

test('the track reports the method of its last answer and a lost probe as a gap', () => {
  const t = new ProbeTrack('10.0.0.1');
  t.success(2, 1000, 'tcp-connect', 'TCP handshake to port 53 (open): no ICMP echo reply');
  t.lost(2000, 'no reply');
  const s = t.snapshot();
  assert.deepEqual([s.method, s.history, s.lossPct, s.status.state], ['tcp-connect', [2, null], 50, 'error']);
  assert.match(s.methodNote!, /port 53/);
});
