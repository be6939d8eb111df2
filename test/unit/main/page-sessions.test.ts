// What each page is told and when the collector hears about visibility (electron/main/page-sessions.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageSessions, type PageCommand } from '../../../electron/main/page-sessions.ts';
import { defaultSettings } from '../../../shared/index.ts';

const UP = { state: 'up' } as const;
const of = (cmds: PageCommand[], kind: PageCommand['kind']) => cmds.filter((c) => c.kind === kind);

test('a page loaded after the link went up is told "up" (it used to stay on "connecting" forever)', () => {
  const s = new PageSessions(defaultSettings());
  s.collectorRunning();
  assert.deepEqual(s.snapshot(), [], 'no page yet: nothing to send');
  s.opened(7);
  const cmds = s.loaded(7);
  assert.deepEqual(of(cmds, 'attach-port'), [{ kind: 'attach-port', page: 7 }]);
  assert.deepEqual(of(cmds, 'send-link'), [{ kind: 'send-link', page: 7, link: UP }]);
  assert.equal(of(cmds, 'send-settings').length, 1);
  // Later snapshots do not resend an unchanged link.
  assert.deepEqual(s.snapshot(), []);
});

test('a reload gets a new port and the current link and settings again', () => {
  const s = new PageSessions(defaultSettings());
  s.collectorRunning();
  s.opened(1);
  s.loaded(1);
  s.snapshot();
  s.unloaded(1);
  // While the page is navigating nothing is sent to it.
  assert.deepEqual(s.setLink({ state: 'down', reason: 'x' }), []);
  s.setLink(UP);
  const again = s.loaded(1);
  assert.deepEqual(again.map((c) => c.kind), ['attach-port', 'send-link', 'send-settings']);
  assert.deepEqual(of(again, 'send-link')[0], { kind: 'send-link', page: 1, link: UP });
});

test('a collector restart: down with the reason to every page, new ports on running, up on the first snapshot', () => {
  const s = new PageSessions(defaultSettings());
  s.collectorRunning();
  for (const p of [1, 2]) { s.opened(p); s.loaded(p); }
  s.snapshot();
  const down = s.collectorDown({ state: 'down', reason: 'collector killed by SIGKILL; restarting in 1 s' });
  assert.deepEqual(down.map((c) => [c.kind, 'page' in c ? c.page : null]), [['send-link', 1], ['send-link', 2]]);
  // A page loading while the collector is down gets the reason but no port (it would go nowhere).
  s.opened(3);
  const late = s.loaded(3);
  assert.deepEqual(late.map((c) => c.kind), ['send-link', 'send-settings']);
  assert.equal((of(late, 'send-link')[0] as { link: { state: string } }).link.state, 'down');
  assert.deepEqual(s.collectorRunning(), [1, 2, 3].map((page) => ({ kind: 'attach-port', page })));
  assert.deepEqual(s.snapshot().map((c) => [c.kind, 'page' in c ? c.page : null]), [['send-link', 1], ['send-link', 2], ['send-link', 3]]);
});

test('two pages: settings saved in one reach both', () => {
  const s = new PageSessions(defaultSettings());
  for (const p of [1, 2]) { s.opened(p); s.loaded(p); }
  const next = { ...defaultSettings(), units: 'bits' as const };
  assert.deepEqual(s.setSettings(next), [1, 2].map((page) => ({ kind: 'send-settings', page, settings: next })));
  s.opened(3);
  assert.deepEqual(of(s.loaded(3), 'send-settings'), [{ kind: 'send-settings', page: 3, settings: next }]);
});

test('visibility follows visible windows, not attached ports: a hidden popover returns the engine to tray-only', () => {
  const s = new PageSessions(defaultSettings());
  s.collectorRunning();
  s.opened(1);
  s.loaded(1); // attached, not shown
  assert.equal(s.visible, false);
  assert.deepEqual(s.shown(1), [{ kind: 'set-visibility', visible: true }]);
  assert.deepEqual(s.hidden(1), [{ kind: 'set-visibility', visible: false }]);
  // Hiding again says nothing (the collector used to re-poll on every hide).
  assert.deepEqual(s.hidden(1), []);
  // Two windows: only the last one hidden turns it off; closing a visible one counts as hidden.
  s.opened(2);
  s.loaded(2);
  s.shown(1);
  assert.deepEqual(s.shown(2), []);
  assert.deepEqual(s.hidden(1), []);
  assert.deepEqual(s.closed(2), [{ kind: 'set-visibility', visible: false }]);
  assert.equal(s.visible, false);
  // Events for a page already closed change nothing.
  assert.deepEqual(s.shown(2), []);
});
