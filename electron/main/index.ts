// Electron main process: a thin shell. It supervises the collector (a utility process) and shows live
// speeds in the tray. Decisions (tray text, backoff) live in pure modules; this file only wires Electron.
import { app, Tray, Menu, nativeImage, utilityProcess } from 'electron';
import path from 'node:path';
import type { EngineMessage } from '../../shared/index.ts';
import { STALE, STARTING, trayText } from './tray-text.ts';
import { Supervisor, type CollectorChild } from './supervisor.ts';
import { ENGINE_EXEC_ARGV } from '../collector/runtime.ts';

// dist/electron/main/index.js → dist/collector/main.js
const COLLECTOR = path.join(import.meta.dirname, '..', '..', 'collector', 'main.js');

if (!app.requestSingleInstanceLock()) app.quit();

let tray: Tray | null = null;
let lastShown = '';

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
  tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Quit NetWatch', role: 'quit' }]));
  supervisor.start();
});

app.on('before-quit', () => supervisor.stop());
// A tray app keeps running with no window open.
app.on('window-all-closed', () => {});
