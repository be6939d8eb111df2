// The macOS capture source: the interface comes from the default route (`route -n get default`, a real
// macOS capture), the helper is started on it, and its failures read as macOS reasons. The helper here
// is the Linux build: it cannot open a macOS interface, which shows the name reached it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fixture } from '../../../helpers.ts';
import { nodeOs, type OsIO } from '../../../../electron/collector/os.ts';
import { darwinCapture } from '../../../../electron/collector/darwin/capture.ts';
import { captureFailure } from '../../../../electron/collector/capture.ts';
import { DEFAULT_CAPTURE } from '../../../../electron/collector/platform.ts';

const withRoute = (stdout: string | null): OsIO => ({
  ...nodeOs,
  run: async (cmd, args) => {
    assert.deepEqual([cmd, ...args], ['route', '-n', 'get', 'default']);
    return stdout === null ? { ok: false, kind: 'exit', message: 'exit 1', stdout: '' } : { ok: true, stdout, stderr: '' };
  },
});

test('captures on the default route\'s interface (here a VPN\'s ipsec0), asking route at each start', { skip: !fs.existsSync(DEFAULT_CAPTURE) && 'nw-capture not built' }, async () => {
  const feed = darwinCapture(withRoute(fixture('darwin', 'route-get-default-via-vpn-ipsec0--killswitch-issue19.txt')), DEFAULT_CAPTURE);
  const why = await feed.start();
  feed.stop();
  assert.equal(why, 'unavailable: ipsec0: no such interface');
});

test('no default route: unavailable, saying why (macOS has no "any" device)', async () => {
  const feed = darwinCapture(withRoute(null), '/nonexistent/nw-capture');
  assert.match((await feed.start())!, /^unavailable: no default route/);
  assert.deepEqual(await feed.report(), { ok: false, reason: 'unavailable: capture not started' });
});

test('/dev/bpf* not readable: the reason names ChmodBPF and the access_bpf group', () => {
  // libpcap's own message on macOS (pcap-bpf.c), behind the helper's "needs BPF access" prefix.
  const r = captureFailure('needs BPF access: (cannot open BPF device) /dev/bpf0: Permission denied', '/x/nw-capture');
  assert.match(r, /^unavailable: needs read access to \/dev\/bpf\* — install Wireshark's ChmodBPF .* access_bpf/);
});
