// /proc mounted with hidepid=2, in a mount namespace this test makes: as `nobody`, other users'
// processes do not exist in /proc at all, so no read is refused and the source said `processes: ok`
// while 0 of 41 sockets had an owner. It must say why the owners are missing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers.ts';
import { SnapshotSchema } from '../../shared/index.ts';
import { peer } from './engine-host.ts';

const run = promisify(execFile);
const kids: Array<{ kill(): unknown }> = [];
after(() => kids.forEach((k) => k.kill()));

test('as nobody under hidepid=2, sockets of root\'s processes have no owner and processes says why (it said ok)', { timeout: 60_000 }, async () => {
  const server = await peer<{ port: number }>('sink-server.ts'); // a socket owned by root
  kids.push(server.child);
  const script = `mount -t proc -o hidepid=2 proc /proc && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$0" "$1" snapshot --json --no-probes`;
  const { stdout } = await run('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, process.execPath, path.join(ROOT, 'bin', 'netwatch.js')], { maxBuffer: 64 << 20 });
  const snap = SnapshotSchema.parse(JSON.parse(stdout));
  const listener = snap.connections.find((c) => c.protocol === 'tcp' && c.local.endsWith(`:${server.first.port}`) && c.state === 'LISTEN');
  assert.ok(listener, 'root\'s listening socket is listed');
  assert.equal(listener.pid, null, 'its owner is hidden from us');
  assert.equal(snap.sources.processes.state, 'unavailable');
  assert.match((snap.sources.processes as { reason: string }).reason, /sockets belong to processes hidden from us: \/proc is mounted with hidepid=invisible/);
});
