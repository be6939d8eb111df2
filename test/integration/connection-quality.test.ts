// Connection quality per app (issue 12 point 9) against real kernel figures: two apps upload from
// namespace A to a far host through a router that throttles only one of them (throttled-lab.ts).
// The engine must name that app as the one with the bad connection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT } from '../helpers.ts';
import { SnapshotSchema, type AppUsage, type Snapshot } from '../../shared/index.ts';
import { throttledLab, type ThrottledLab } from './throttled-lab.ts';

let lab: ThrottledLab | undefined;
let skip: string | false = false;
let snap: Snapshot;

before(async () => {
  try { lab = await throttledLab(); } catch (e) {
    skip = `cannot build the namespace lab here: ${(e as Error).message.split('\n')[0]}`;
    return;
  }
  await new Promise((r) => setTimeout(r, 4000)); // a few hundred segments each, and RTT estimates settled
  const out = lab.inA(process.execPath, [path.join(ROOT, 'bin/netwatch.js'), 'snapshot', '--json', '--no-probes']);
  snap = SnapshotSchema.parse(JSON.parse(out.toString()));
});
after(() => lab?.stop());

test('the app behind a congested 1 Mbit/s queue is flagged with its RTT and retransmit share; the other is not', (t) => {
  if (skip) return t.skip(skip);
  const app = (script: string): AppUsage => {
    const a = snap.apps.find((x) => x.id.endsWith(script));
    assert.ok(a, `${script} listed; apps: ${snap.apps.map((x) => x.id).join(', ')}`);
    return a;
  };
  const bad = app('bad-uploader.ts').quality, good = app('good-uploader.ts').quality;
  assert.ok(bad && good, 'both have an established external socket');
  const seen = JSON.stringify({ bad, good });
  t.diagnostic(seen);
  // Measured here: bad p50 1.3–1.6 s (the queue, and retransmission timeouts), 0.2–3.4 % resent; good 0.07 ms, none or one segment.
  assert.ok(bad.rttP50Ms >= 100, seen);
  assert.ok(bad.retransmitPct !== null && bad.retransmitPct > 0, seen);
  assert.ok(bad.segmentsSent >= 100 && good.segmentsSent >= 100, seen);
  assert.ok(bad.poor !== null, seen);
  assert.ok(good.rttP95Ms < 20, seen);
  assert.ok(good.retransmitPct !== null && good.retransmitPct < 1, seen);
  assert.equal(good.poor, null, seen);
});
