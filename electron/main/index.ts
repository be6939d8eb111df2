// Electron main process: a thin shell. It supervises the collector (a utility process) and shows live
// speeds in the tray. Decisions (tray text, backoff) live in pure modules; this file only wires Electron.
import { app, Tray, Menu, nativeImage, utilityProcess, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import type { EngineMessage } from '../../shared/index.ts';
import { STALE, STARTING, trayText } from './tray-text.ts';
import { Supervisor, type CollectorChild } from '../../shared/supervisor.ts';
import { menuTemplate, type MenuAction, type MenuItem } from './menu.ts';
import { ENGINE_EXEC_ARGV } from '../collector/runtime.ts';

// dist/electron/main/index.js → dist/collector/main.js
const COLLECTOR = path.join(import.meta.dirname, '..', '..', 'collector', 'main.js');

if (!app.requestSingleInstanceLock()) app.quit();

let tray: Tray | null = null;
let lastShown = '';
let paused = false;

function spawnCollector(): CollectorChild {
  // A packaged app ships the socket helper beside its resources.
  const env = { ...process.env, ...(app.isPackaged ? { NETWATCH_HELPER: path.join(process.resourcesPath, 'nw-sockdiag') } : {}) };
  const proc = utilityProcess.fork(COLLECTOR, [], { serviceName: 'NetWatch Collector', stdio: 'inherit', execArgv: [...ENGINE_EXEC_ARGV], env });
  return {
    onMessage: (cb) => { proc.on('message', cb); },
    onExit: (cb) => { proc.on('exit', (code) => cb(code, null)); },
    post: (m) => proc.postMessage(m),
    kill: () => { proc.kill(); },
  };
}

function show(title: string, tooltip: string): void {
  if (!tray || title === lastShown) return; // redraw only on change
  lastShown = title;
  if (process.platform === 'darwin') tray.setTitle(title, { fontType: 'monospacedDigit' });
  tray.setToolTip(tooltip);
  // Linux trays show no title: the live speeds head the context menu instead.
  if (process.platform !== 'darwin') rebuildMenu(title, tooltip);
}

function run(action: MenuAction): void {
  switch (action.kind) {
    case 'toggle-pause':
      paused = !paused;
      supervisor.send({ type: paused ? 'pause' : 'resume' });
      rebuildMenu(lastShown, '');
      break;
    case 'toggle-login':
      app.setLoginItemSettings({ openAtLogin: !app.getLoginItemSettings().openAtLogin });
      rebuildMenu(lastShown, '');
      break;
    case 'quit': app.quit(); break;
    case 'open-popover': case 'open-view': break; // not offered while windows: false
  }
}

function rebuildMenu(title: string, tooltip: string): void {
  if (!tray) return;
  const platform = process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux';
  // The popover and drill-down windows arrive with the renderer; until then the menu offers only what works.
  const items = menuTemplate({ paused, launchAtLogin: app.getLoginItemSettings().openAtLogin, platform, text: { title, tooltip }, windows: false });
  const toElectron = (i: MenuItem): MenuItemConstructorOptions => {
    if (i.type === 'separator') return { type: 'separator' };
    const action = i.action;
    return i.type === 'checkbox'
      ? { type: 'checkbox', label: i.label, checked: i.checked, click: () => run(i.action) }
      : { label: i.label, enabled: i.enabled, click: action ? () => run(action) : undefined };
  };
  tray.setContextMenu(Menu.buildFromTemplate(items.map(toElectron)));
}

const supervisor = new Supervisor({
  spawn: spawnCollector,
  schedule: (fn, ms) => { const t = setTimeout(fn, ms); return { cancel: () => clearTimeout(t) }; },
  now: () => Date.now(),
  onMessage: (m: EngineMessage) => {
    if (m.type !== 'snapshot') return;
    const t = trayText(m.snapshot);
    show(t.title, t.tooltip);
  },
  onState: (s) => {
    if (s.state === 'stale') show(STALE.title, STALE.tooltip);
  },
});

app.whenReady().then(() => {
  if (process.platform === 'darwin') app.dock?.hide();
  tray = new Tray(nativeImage.createFromPath(path.join(app.getAppPath(), 'build', 'trayTemplate.png')));
  tray.setToolTip(STARTING.tooltip);
  rebuildMenu(STARTING.title, STARTING.tooltip);
  supervisor.start();
});

app.on('before-quit', () => supervisor.stop());
// A tray app keeps running with no window open.
app.on('window-all-closed', () => {});
