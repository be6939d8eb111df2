// `netwatch serve --replay` paces itself by each line's intervalMs: a recording edited to 1e-6 replayed
// at ~690 snapshots/s, and 1e10 flooded TimeoutOverflowWarning. The schema bounds it to the engine's own
// range (250 ms – 60 s), so such lines are skipped like any invalid one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SnapshotSchema, defaultConfig, type Snapshot } from '../../../../shared/index.ts';
import { Engine } from '../../../../electron/collector/engine/engine.ts';
import { createSources } from '../../../../electron/collector/platform.ts';
import { nodeOs } from '../../../../electron/collector/os.ts';
import { replayFeed } from '../../../../electron/collector/serve/feed.ts';

async function realSnapshot(): Promise<Snapshot> {
  const engine = new Engine({ sources: createSources(nodeOs), os: nodeOs, config: { ...defaultConfig(), probes: false }, emit: () => {}, listInSnapshots: true });
  await engine.pollAll();
  const s = engine.snapshot();
  engine.stop();
  return s;
}

test('replay intervalMs 1e-6 or 1e10 is refused by the schema: no flood of snapshots, no timer overflow', async () => {
  const snap = await realSnapshot();
  assert.ok(SnapshotSchema.safeParse(snap).success);
  for (const bad of [1e-6, 1e10, 0.5, 249, 60_001]) assert.ok(!SnapshotSchema.safeParse({ ...snap, intervalMs: bad }).success, `intervalMs ${bad}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-replay-'));
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  try {
    // Only such lines: refused at start, with the reason.
    const edited = path.join(dir, 'edited.jsonl');
    fs.writeFileSync(edited, [1e-6, 1e10].map((ms) => JSON.stringify({ ...snap, intervalMs: ms })).join('\n') + '\n');
    assert.throws(() => replayFeed(edited), /no valid snapshot in .* \(none of 2 lines; line 1: intervalMs: /);
    // Beside a good line: skipped, so the replay goes at the good line's pace (1 s), not ~690/s.
    const mixed = path.join(dir, 'mixed.jsonl');
    fs.writeFileSync(mixed, [1000, 1e-6, 1e10].map((ms) => JSON.stringify({ ...snap, intervalMs: ms })).join('\n') + '\n');
    const feed = replayFeed(mixed);
    let n = 0;
    feed.onSnapshot(() => { n++; });
    await new Promise((r) => setTimeout(r, 300));
    feed.stop();
    assert.equal(n, 1, `${n} snapshots replayed in 300 ms`);
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
