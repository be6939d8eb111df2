// Start-up decisions (electron/main/startup.ts): single instance, user data folder, launch requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimInstance, openRequest, secondLaunchRequest } from '../../../electron/main/startup.ts';

function fakeApp(lock: boolean) {
  const calls: string[] = [];
  return {
    calls,
    requestSingleInstanceLock: () => { calls.push('lock'); return lock; },
    quit: () => { calls.push('quit'); },
    setPath: (name: string, p: string) => { calls.push(`setPath ${name} ${p}`); },
  };
}

test('a second instance quits and runs nothing else (no tray, no collector, no settings read)', () => {
  const second = fakeApp(false);
  let ran = false;
  if (claimInstance(second, {})) ran = true;
  assert.equal(ran, false);
  assert.deepEqual(second.calls, ['lock', 'quit']);
  const first = fakeApp(true);
  assert.equal(claimInstance(first, {}), true);
  assert.deepEqual(first.calls, ['lock']);
});

test('NETWATCH_USER_DATA moves the user data folder before the lock is asked for (the lock lives there)', () => {
  const a = fakeApp(true);
  claimInstance(a, { NETWATCH_USER_DATA: '/tmp/nw-smoke' });
  assert.deepEqual(a.calls, ['setPath userData /tmp/nw-smoke', 'lock']);
});

test('--open names a view; a plain second launch opens the popover', () => {
  assert.deepEqual(openRequest(['/usr/bin/netwatch', '--open=connections']), { view: 'connections', arg: null });
  assert.deepEqual(openRequest(['x', '--open=interface:eth0']), { view: 'interface', arg: 'eth0' });
  assert.deepEqual(openRequest(['x', '--open=interface:']), { view: 'interface', arg: null });
  assert.equal(openRequest(['x', '--open=shell']), null);
  assert.equal(openRequest(['x', '--no-sandbox']), null);
  assert.deepEqual(secondLaunchRequest(['/usr/bin/netwatch']), { view: 'popover', arg: null });
  assert.deepEqual(secondLaunchRequest(['/usr/bin/netwatch', '--open=alerts']), { view: 'alerts', arg: null });
  assert.equal(openRequest(['x', `--open=interface:${'a'.repeat(500)}`])!.arg!.length, 200);
});
