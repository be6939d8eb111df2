// The application menu (electron/main/app-menu.ts): none on Linux, a minimal one on macOS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appMenuTemplate, type AppMenuItem } from '../../../electron/main/app-menu.ts';

const roles = (items: AppMenuItem[]): string[] => items.flatMap((i) => ('role' in i ? [i.role] : 'submenu' in i ? roles(i.submenu) : []));

test('Linux and Windows: no application menu (Electron\'s default gave Ctrl+W, Reload and DevTools)', () => {
  assert.equal(appMenuTemplate('linux', 'NetWatch'), null);
  assert.equal(appMenuTemplate('win32', 'NetWatch'), null);
});

test('macOS: app, Edit and Window menus, without reload or developer tools', () => {
  const m = appMenuTemplate('darwin', 'NetWatch')!;
  assert.deepEqual(m.map((i) => ('label' in i ? i.label : null)), ['NetWatch', 'Edit', 'Window']);
  const r = roles(m);
  for (const need of ['quit', 'copy', 'paste', 'selectAll', 'cut', 'undo', 'close']) assert.ok(r.includes(need), need);
  for (const never of ['reload', 'forceReload', 'toggleDevTools', 'viewMenu', 'fileMenu']) assert.ok(!r.includes(never), never);
});
