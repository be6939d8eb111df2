// A bounded libFuzzer run over nw-capture's decoder in the normal suite (a few seconds); the
// million-input run is `native/fuzz/run.sh` (README, "Packet capture (helper)").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers.ts';

const RUNS = 300_000;

test(`${RUNS.toLocaleString('en')} fuzz inputs under ASan and UBSan: no finding`, (t) => {
  try { execFileSync('clang', ['--version'], { stdio: 'ignore' }); } catch { return t.skip('clang not installed (Debian: clang)'); }
  const r = spawnSync(path.join(ROOT, 'native', 'fuzz', 'run.sh'), [String(RUNS), String(Date.now() % 100_000)], { encoding: 'utf8', timeout: 120_000 });
  const log = `${r.stdout}${r.stderr}`;
  if (/cannot find -lclang_rt\.fuzzer|fuzzer.*not found/i.test(log)) return t.skip('clang without libFuzzer');
  t.diagnostic(log.split('\n').filter((l) => /^(Done|stat::|INFO: seed|\d+ seeds)/.test(l)).join('; '));
  assert.equal(r.status, 0, log.split('\n').filter((l) => /ERROR|SUMMARY|runtime error/.test(l)).join('\n') || log.slice(-2000));
  assert.match(log, new RegExp(`Done ${RUNS} runs`));
});
