// Bridge calls from the renderer are refused unless they come from our own page with a valid payload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CH, checkIpc } from '../../../electron/main/ipc.ts';
import { RaisedAlerts } from '../../../electron/main/notify-policy.ts';
import { defaultSettings, type Alert } from '../../../shared/index.ts';

const APP = 'app://netwatch/index.html#/connections';

test('only app://netwatch pages may call', () => {
  for (const url of [undefined, '', 'https://netwatch/index.html', 'file:///etc/passwd', 'app://evil/index.html', 'app://user:pw@netwatch/']) {
    const r = checkIpc(CH.getSettings, url, []);
    assert.equal(r.ok, false, String(url));
  }
  assert.equal(checkIpc(CH.getSettings, APP, []).ok, true);
});

test('payloads are validated: settings, views', () => {
  assert.equal(checkIpc(CH.setSettings, APP, [defaultSettings()]).ok, true);
  assert.equal(checkIpc(CH.setSettings, APP, [{ ...defaultSettings(), samplingIntervalMs: 5 }]).ok, false);
  assert.equal(checkIpc(CH.setSettings, APP, [{ ...defaultSettings(), __proto__: { polluted: true }, extra: 1 }]).ok, true, 'unknown keys are dropped by the schema');
  assert.deepEqual(checkIpc(CH.open, APP, ['connections', '1234']), { ok: true, req: { channel: CH.open, view: 'connections', arg: '1234' } });
  assert.deepEqual(checkIpc(CH.open, APP, ['alerts']), { ok: true, req: { channel: CH.open, view: 'alerts', arg: null } });
  assert.equal(checkIpc(CH.open, APP, ['devtools']).ok, false);
  assert.equal(checkIpc(CH.open, APP, ['interface', 'x'.repeat(201)]).ok, false);
  assert.equal(checkIpc('nw:eval', APP, []).ok, false);
});

test('raised alerts: each alert id once, however many snapshots carry it', () => {
  const a = (id: string) => ({ id }) as Alert;
  const r = new RaisedAlerts();
  assert.deepEqual(r.next([a('x')]).map((x) => x.id), ['x']);
  assert.deepEqual(r.next([a('x')]), []);
  assert.deepEqual(r.next([a('x'), a('y')]).map((x) => x.id), ['y']);
});
