// Electron main process: a thin shell. It runs the collector in a utility process and shows live
// speeds in the tray. Decisions (tray text) live in pure modules; this file only wires Electron.
import { app, Tray, Menu, nativeImage, utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import type { EngineMessage } from '../../shared/index.ts';
import { trayText } from './tray-text.ts';
import { ENGINE_EXEC_ARGV } from '../collector/runtime.ts';

// dist/electron/main/index.js → dist/collector/main.js
const COLLECTOR = path.join(import.meta.dirname, '..', '..', 'collector', 'main.js');

if (!app.requestSingleInstanceLock()) app.quit();

let tray: Tray | null = null;
let collector: UtilityProcess | null = null;
let quitting = false;
let lastShown = '';

function startCollector(): void {
  const env = { ...process.env, ...(app.isPackaged ? { NETWATCH_HELPER: path.join(process.resourcesPath, 'nw-sockdiag') } : {}) };
  collector = utilityProcess.fork(COLLECTOR, [], { serviceName: 'NetWatch Collector', stdio: 'inherit', execArgv: [...ENGINE_EXEC_ARGV], env });
  collector.on('message', (m: EngineMessage) => {
    if (m.type !== 'snapshot' || !tray) return;
    const t = trayText(m.snapshot);
    // Update only when the text changes: the tray redraw is not free on every platform.
    if (t.title === lastShown) return;
    lastShown = t.title;
    if (process.platform === 'darwin') tray.setTitle(t.title, { fontType: 'monospacedDigit' });
    tray.setToolTip(t.tooltip);
  });
  collector.on('exit', () => {
    collector = null;
    if (quitting) return;
    const t = trayText(null, 'bytes', 'si', true);
    tray?.setToolTip(t.tooltip);
    setTimeout(startCollector, 1000);
  });
}

app.whenReady().then(() => {
  if (process.platform === 'darwin') app.dock?.hide();
  tray = new Tray(nativeImage.createFromPath(path.join(app.getAppPath(), 'build', 'trayTemplate.png')));
  tray.setToolTip(trayText(null).tooltip);
  tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Quit NetWatch', role: 'quit' }]));
  startCollector();
});

app.on('before-quit', () => {
  quitting = true;
  collector?.kill();
});
// A tray app keeps running with no window open.
app.on('window-all-closed', () => {});
