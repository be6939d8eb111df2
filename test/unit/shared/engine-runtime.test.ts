// The engine's V8 flags in each host's spelling (shared/engine-runtime.ts), and that the flag does what
// the README's memory figures rely on when a Node host passes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ENGINE_EXEC_ARGV, ENGINE_V8_FLAGS, utilityExecArgv } from '../../../shared/engine-runtime.ts';

test('a utility process gets the V8 flags inside --js-flags (a bare V8 flag is dropped there)', () => {
  assert.deepEqual(utilityExecArgv(), ['--js-flags=--max-semi-space-size=1']);
  assert.deepEqual(utilityExecArgv(['--a', '--b=2']), ['--js-flags=--a --b=2']);
  assert.deepEqual(utilityExecArgv([]), []);
  assert.deepEqual(ENGINE_EXEC_ARGV, ENGINE_V8_FLAGS);
});

test('a Node child started with ENGINE_EXEC_ARGV keeps its young generation small under allocation (default grows to 16 MB)', () => {
  const newSpace = (args: readonly string[]) => Number(execFileSync(process.execPath, [...args, '-e',
    "const v8=require('v8');let keep=[];for(let i=0;i<3e6;i++){keep.push({a:i});if(keep.length>5e4)keep=[];}console.log(v8.getHeapSpaceStatistics().find(s=>s.space_name==='new_space').space_size)"]).toString());
  const capped = newSpace(ENGINE_EXEC_ARGV);
  const dflt = newSpace([]);
  assert.ok(capped <= 3 * 1024 * 1024, `new space ${capped} B with the flag`);
  assert.ok(dflt > capped, `default ${dflt} B > capped ${capped} B`);
});
