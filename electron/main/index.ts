// Electron main process: a thin shell. It supervises the collector (a utility process), shows live
// speeds in the tray, opens the popover and drill-down windows, forwards the renderer's bridge calls
// after checking them (ipc.ts), and turns new alerts into notifications (notify-policy.ts).
import { app, ipcMain, Menu, MessageChannelMain, nativeImage, Notification, Tray, utilityProcess, type IpcMainEvent, type IpcMainInvokeEvent, type MenuItemConstructorOptions, type MessagePortMain, type WebContents } from 'electron';
import path from 'node:path';
import { engineConfigOf, type EngineLink, type EngineMessage, type Settings } from '../../shared/index.ts';
import { STALE, STARTING, trayText } from './tray-text.ts';
import { Supervisor, downReason, type CollectorChild } from '../../shared/supervisor.ts';
import { menuTemplate, type MenuAction, type MenuItem } from './menu.ts';
import { ENGINE_EXEC_ARGV } from '../collector/runtime.ts';
import { CH, checkIpc } from './ipc.ts';
import { NotificationGate, RaisedAlerts, DEFAULT_NOTIFY_POLICY } from './notify-policy.ts';
import { loadSettings, saveSettings } from './settings-store.ts';
import { Windows, registerAppScheme, serveRenderer } from './windows.ts';

// dist/electron/main/index.js → dist/collector/main.js, dist/electron/preload/index.cjs, dist/renderer/
const DIST = path.join(import.meta.dirname, '..', '..');
const COLLECTOR = path.join(DIST, 'collector', 'main.js');
const PRELOAD = path.join(DIST, 'electron', 'preload', 'index.cjs');
const RENDERER = path.join(DIST, 'renderer');

if (!app.requestSingleInstanceLock()) app.quit();
registerAppScheme();

/** `--open=<view>` on the command line opens that window (also in the running instance, from a second launch). */
function openFromArgv(argv: string[]): void {
  const v = argv.find((a) => a.startsWith('--open='))?.slice('--open='.length);
  if (!v) return;
  const [view = '', arg] = v.split(':');
  const r = checkIpc(CH.open, 'app://netwatch/', [view, arg ?? null]);
  if (r.ok && r.req.channel === CH.open) {
    if (r.req.view === 'popover') { if (tray) windows.togglePopover(tray); } else windows.open(r.req.view, r.req.arg);
  }
}
app.on('second-instance', (_e, argv) => openFromArgv(argv));

let tray: Tray | null = null;
let lastShown = '';
let paused = false;
let link: EngineLink = { state: 'down', reason: 'engine starting' };
const settingsFile = () => path.join(app.getPath('userData'), 'settings.json');
let settings: Settings;
const gate = new NotificationGate();
const raised = new RaisedAlerts();
const windows = new Windows(PRELOAD, (visible) => supervisor.send({ type: 'set-visibility', visible }), (wc) => attachView(wc));

/**
 * A page gets its own MessageChannelMain to the collector: snapshots go straight to it and it asks its
 * connection pages on it; main keeps only what the tray and notifications need. Done again when the page
 * reloads and for every page when the collector restarts (the old ports died with it).
 */
function attachView(wc: WebContents): void {
  const { port1, port2 } = new MessageChannelMain();
  supervisor.send({ type: 'attach-view' }, [port1]);
  wc.postMessage(CH.port, null, [port2]);
}

function applySettings(s: Settings): void {
  settings = s;
  gate.policy = { ...DEFAULT_NOTIFY_POLICY, perMinute: s.notifications.perMinute, muted: s.notifications.muted };
}

function spawnCollector(): CollectorChild {
  // A packaged app ships the socket helper beside its resources. The settings' engine part goes in
  // the environment so the first tick of every (re)started collector already uses it.
  const env = {
    ...process.env,
    NETWATCH_CONFIG: JSON.stringify(engineConfigOf(settings)),
    NETWATCH_VISIBLE: windows.anyVisible() ? '1' : '0',
    ...(app.isPackaged ? { NETWATCH_HELPER: path.join(process.resourcesPath, 'nw-sockdiag') } : {}),
  };
  const proc = utilityProcess.fork(COLLECTOR, [], { serviceName: 'NetWatch Collector', stdio: 'inherit', execArgv: [...ENGINE_EXEC_ARGV], env });
  if (paused) proc.postMessage({ type: 'pause' });
  return {
    onMessage: (cb) => { proc.on('message', cb); },
    onExit: (cb) => { proc.on('exit', (code) => cb(code, null)); },
    post: (m, transfer) => proc.postMessage(m, transfer as MessagePortMain[] | undefined),
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
    case 'open-popover': if (tray) windows.togglePopover(tray); break;
    case 'open-view': windows.open(action.view, null); break;
  }
}

function rebuildMenu(title: string, tooltip: string): void {
  if (!tray) return;
  const platform = process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux';
  const items = menuTemplate({ paused, launchAtLogin: app.getLoginItemSettings().openAtLogin, platform, text: { title, tooltip }, windows: true });
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
    if (link.state !== 'up') setLink({ state: 'up' });
    const t = trayText(m.snapshot, settings.units, settings.prefix, settings.totalInterfaces);
    show(t.title, t.tooltip);
    notify(raised.next(m.snapshot.alerts.active));
  },
  onState: (s) => {
    if (s.state === 'running') { for (const wc of windows.pages()) attachView(wc); return; } // 'up' once it sends a snapshot
    if (s.state === 'stale') show(STALE.title, STALE.tooltip);
    setLink({ state: 'down', reason: downReason(s, 'collector') });
  },
});

function setLink(l: EngineLink): void {
  link = l;
  windows.broadcast(CH.link, l);
}

function notify(alerts: Parameters<NotificationGate['admit']>[0]): void {
  if (alerts.length === 0 || !settings.notifications.enabled || !Notification.isSupported()) return;
  for (const n of gate.admit(alerts, Date.now())) {
    const note = new Notification({ title: n.title, body: n.body });
    // Opens the Alerts window on that alert (the first of a group).
    const id = n.kind === 'single' ? n.alert.id : n.alerts[0]?.id ?? null;
    note.on('click', () => windows.open('alerts', id));
    note.show();
  }
}

/** Every bridge call is checked (sender is our page, payload valid) before it does anything. */
function wireIpc(): void {
  const checked = (channel: string, e: IpcMainInvokeEvent | IpcMainEvent, args: unknown[]) => {
    const r = checkIpc(channel, e.senderFrame?.url, args);
    if (!r.ok) throw new Error(`refused ${channel}: ${r.reason}`);
    return r.req;
  };
  ipcMain.handle(CH.getSettings, (e, ...args) => { checked(CH.getSettings, e, args); return settings; });
  ipcMain.handle(CH.setSettings, (e, ...args) => {
    const req = checked(CH.setSettings, e, args);
    if (req.channel !== CH.setSettings) return null;
    try {
      applySettings(saveSettings(settingsFile(), req.settings));
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
    supervisor.send({ type: 'set-config', config: engineConfigOf(settings) });
    if (app.getLoginItemSettings().openAtLogin !== settings.launchAtLogin) app.setLoginItemSettings({ openAtLogin: settings.launchAtLogin });
    return { ok: true, settings };
  });
  ipcMain.on(CH.open, (e, ...args) => {
    const r = checkIpc(CH.open, e.senderFrame?.url, args);
    if (r.ok && r.req.channel === CH.open) windows.open(r.req.view, r.req.arg);
  });
}

app.whenReady().then(() => {
  if (process.platform === 'darwin') app.dock?.hide();
  const loaded = loadSettings(settingsFile());
  applySettings(loaded.settings);
  serveRenderer(RENDERER);
  wireIpc();
  tray = new Tray(nativeImage.createFromPath(path.join(app.getAppPath(), 'build', 'trayTemplate.png')));
  tray.setToolTip(STARTING.tooltip);
  // macOS and Windows report clicks on the icon; Linux (AppIndicator) only opens the menu, which has "Open NetWatch".
  tray.on('click', () => { if (tray) windows.togglePopover(tray); });
  rebuildMenu(STARTING.title, STARTING.tooltip);
  supervisor.start();
  openFromArgv(process.argv);
  // For the Playwright smoke test only (NETWATCH_TEST=1): what it cannot reach through Electron's API.
  if (process.env['NETWATCH_TEST'] === '1') {
    (globalThis as Record<string, unknown>)['__netwatchTest'] = { hasTray: () => tray !== null && !tray.isDestroyed(), notify };
  }
  if (loaded.notice && Notification.isSupported()) new Notification({ title: 'NetWatch settings', body: loaded.notice }).show();
});

app.on('before-quit', () => supervisor.stop());
// A tray app keeps running with no window open.
app.on('window-all-closed', () => {});
