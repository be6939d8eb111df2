// Memory under attack: every port (65,535) from 50 sources at once, and 100,000 random subdomains of
// one domain (flood-run.ts, in a child with the engine's V8 flags). Every structure stays within its
// documented cap; what the tier keeps (heap after a full GC) stays under 32 MB; the process's RSS stays
// under the README's cap (250 MB, a bare engine process starts at ~100 MB here) and stops growing
// (the second half of the scan adds < 16 MB); and the alerts are still raised: one scan per source,
// the tunnel. Then a tick after the windows empties every structure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ENGINE_EXEC_ARGV } from '../../../../shared/engine-runtime.ts';
import { PORTSCAN_CAPS } from '../../../../electron/collector/engine/intel/portscan.ts';
import { DNS_CAPS } from '../../../../electron/collector/engine/intel/dns-tunnel.ts';

const RSS_CAP_MB = 250;

test('all 65,535 ports from 50 sources and 100k random subdomains: caps hold, RSS bounded, alerts raised', (t) => {
  const out = execFileSync(process.execPath, [...process.execArgv, ...ENGINE_EXEC_ARGV, path.join(import.meta.dirname, 'flood-run.ts')], { encoding: 'utf8', timeout: 120_000 });
  const r = JSON.parse(out.trim().split('\n').at(-1)!);
  t.diagnostic(out.trim());
  assert.equal(r.overCap, '', 'no structure over its cap at any batch');
  assert.deepEqual(r.raised, { portscan: 50, 'dns-tunnel': 1 }, 'one port-scan alert per scanner, the tunnel');
  assert.equal(r.sizes.pairs, 50);
  assert.equal(r.sizes.ports, 50 * PORTSCAN_CAPS.MAX_PORTS);
  assert.equal(r.sizes.subdomains, DNS_CAPS.MAX_SUBS, 'the domain\'s names at the cap');
  assert.equal(r.sizes.waiting, DNS_CAPS.MAX_TRANSACTIONS);
  assert.equal(r.scanPorts, PORTSCAN_CAPS.MAX_PORTS, 'the count saturates at the cap');
  assert.match(r.scanDetail, /≥ 1024 ports/);
  assert.ok(r.keptMb < 32, `kept ${r.keptMb} MB`);
  assert.ok(r.rssPeakMb < RSS_CAP_MB, `RSS ${r.rssPeakMb} MB`);
  assert.ok(r.rssPeakMb - r.rssHalfMb < 16, `RSS still growing: ${r.rssHalfMb} → ${r.rssPeakMb} MB`);
  assert.deepEqual(r.afterTick, { pairs: 0, ports: 0, flows: 0, beats: 0, domains: 0, subdomains: 0, waiting: 0, names: 0, pending: 0 }, 'everything pruned after the windows');
});
