// The application menu, as data. Electron installs a default menu when the app sets none: it binds
// Ctrl/Cmd+W to close the focused window (so the frameless popover could be closed for good) and gives
// every drill-down window a File/Edit/View/Window bar with Reload, Force Reload and Toggle DevTools.
//
// macOS needs an application menu for the standard shortcuts to work in text fields (Cmd+C/V/X/A are
// menu key equivalents there), so it gets a minimal one: the app menu and Edit, plus Window with
// Minimize and Close (Cmd+W closes a drill-down window as Mac users expect; the popover turns a close
// into a hide, see popover-control.ts). Linux and Windows get none: no menu bar, no shortcuts.
export type MenuRole =
  | 'about' | 'hide' | 'hideOthers' | 'unhide' | 'quit'
  | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll'
  | 'minimize' | 'close';

export type AppMenuItem =
  | { type: 'separator' }
  | { role: MenuRole }
  | { label: string; submenu: AppMenuItem[] };

export function appMenuTemplate(platform: 'darwin' | 'linux' | 'win32', appName: string): AppMenuItem[] | null {
  if (platform !== 'darwin') return null;
  const sep = { type: 'separator' } as const;
  return [
    { label: appName, submenu: [{ role: 'about' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }] },
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
  ];
}
