// Electron main process: wiring only. Every decision with state is a pure module with tests —
// what pages are told and whether any is visible (page-sessions.ts), the popover's clicks, blur, close
// and Wayland mode (popover-control.ts), the tray's text and redraws (tray-text.ts, menu.ts), start-up
// and second launches (startup.ts), notifications (notify-policy.ts), settings (settings-store.ts),
// Linux autostart (autostart.ts), the application menu (app-menu.ts), collector supervision
// (shared/supervisor.ts) — and this file connects them to Electron's objects and events.
import { app, ipcMain, Menu, MessageChannelMain, nativeImage, Notification, Tray, utilityProcess, type IpcMainEvent, type IpcMainInvokeEvent, type MenuItemConstructorOptions, type MessagePortMain } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { engineConfigOf, snoozedUntil, type Settings } from '../../shared/index.ts';
import { Supervisor, downReason, type CollectorChild } from '../../shared/supervisor.ts';
import { utilityExecArgv } from '../../shared/engine-runtime.ts';
import { appMenuTemplate, type AppMenuItem } from './app-menu.ts';
import { autostartCommand, autostartPath, isAutostartEnabled, setAutostart } from './autostart.ts';
import { CH, checkIpc } from './ipc.ts';
import { menuTemplate, type MenuAction, type MenuItem } from './menu.ts';
import { NotificationGate, RaisedAlerts, Retained, notifyPolicyOf } from './notify-policy.ts';
import { PageSessions, type PageCommand } from './page-sessions.ts';
import { runsOnWayland, trayWiring, type Platform } from './popover-control.ts';
import { loadSettings, saveSettings } from './settings-store.ts';
import { claimInstance, openRequest, secondLaunchRequest, type LaunchRequest } from './startup.ts';
import { STALE, STARTING, TrayView, trayText, type TrayText } from './tray-text.ts';
import { Windows, registerAppScheme, serveRenderer } from './windows.ts';

// dist/electron/main/index.js → dist/collector/main.js, dist/electron/preload/index.cjs, dist/renderer/
const DIST = path.join(import.meta.dirname, '..', '..');
const COLLECTOR = path.join(DIST, 'collector', 'main.js');
const PRELOAD = path.join(DIST, 'electron', 'preload', 'index.cjs');
const RENDERER = path.join(DIST, 'renderer');
const PLATFORM: Platform = process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux';

// A second instance hands its argv to the first ('second-instance' there) and does nothing else.
if (claimInstance(app, process.env)) main();

function main(): void {
  registerAppScheme();
  const wayland = runsOnWayland({
    platform: PLATFORM, env: process.env,
    ozonePlatform: app.commandLine.getSwitchValue('ozone-platform'), ozonePlatformHint: app.commandLine.getSwitchValue('ozone-platform-hint'),
    waylandSocketExists: !!process.env['XDG_RUNTIME_DIR'] && fs.existsSync(path.join(process.env['XDG_RUNTIME_DIR'], 'wayland-0')),
  });
  const settingsFile = () => path.join(app.getPath('userData'), 'settings.json');
  let settings: Settings;
  let sessions: PageSessions;
  let tray: Tray | null = null;
  let paused = false;
  let lastText: TrayText = STARTING;
  let menu: Menu | null = null;
  const trayView = new TrayView();
  const gate = new NotificationGate();
  const raised = new RaisedAlerts();
  const shown = new Retained<Notification>();
  const windows = new Windows(PRELOAD, PLATFORM, wayland, (ev, page) => carryOut(sessions[ev](page)));

  const login = PLATFORM === 'linux'
    ? (() => {
      const file = autostartPath(process.env);
      const command = autostartCommand({ execPath: process.execPath, appPath: app.getAppPath(), isPackaged: app.isPackaged, appImage: process.env['APPIMAGE'] });
      return { get: () => isAutostartEnabled(file), set: (on: boolean) => setAutostart(file, on, command) };
    })()
    : { get: () => app.getLoginItemSettings().openAtLogin, set: (on: boolean) => app.setLoginItemSettings({ openAtLogin: on }) };

  function carryOut(cmds: PageCommand[]): void {
    for (const c of cmds) {
      if (c.kind === 'set-visibility') { supervisor.send({ type: 'set-visibility', visible: c.visible }); continue; }
      const wc = windows.page(c.page);
      if (!wc) continue;
      if (c.kind === 'send-link') wc.send(CH.link, c.link);
      else if (c.kind === 'send-settings') wc.send(CH.settings, c.settings);
      else {
        // A fresh MessageChannelMain: one end to the collector, the other to this page.
        const { port1, port2 } = new MessageChannelMain();
        supervisor.send({ type: 'attach-view' }, [port1]);
        wc.postMessage(CH.port, null, [port2]);
      }
    }
  }

  function applySettings(s: Settings): void {
    settings = s;
    gate.policy = notifyPolicyOf(s);
  }

  function launch(req: LaunchRequest): void {
    if (req.view === 'popover') windows.openPopover(tray);
    else windows.open(req.view, req.arg);
  }

  function spawnCollector(): CollectorChild {
    // A packaged app ships the socket helper beside its resources. The settings' engine part goes in
    // the environment so the first tick of every (re)started collector already uses it.
    const env = {
      ...process.env,
      NETWATCH_CONFIG: JSON.stringify(engineConfigOf(settings)),
      NETWATCH_VISIBLE: sessions.visible ? '1' : '0',
      // The usage history beside the settings, in the app's own data folder.
      NETWATCH_HISTORY: path.join(app.getPath('userData'), 'history.sqlite'),
      ...(app.isPackaged ? { NETWATCH_HELPER: path.join(process.resourcesPath, 'nw-sockdiag'), NETWATCH_CAPTURE: path.join(process.resourcesPath, 'nw-capture') } : {}),
    };
    // V8 flags reach a utility process only inside --js-flags (shared/engine-runtime.ts says why).
    const proc = utilityProcess.fork(COLLECTOR, [], { serviceName: 'NetWatch Collector', stdio: 'inherit', execArgv: utilityExecArgv(), env });
    if (paused) proc.postMessage({ type: 'pause' });
    return {
      onMessage: (cb) => { proc.on('message', cb); },
      onExit: (cb) => { proc.on('exit', (code) => cb(code, null)); },
      post: (m, transfer) => proc.postMessage(m, transfer as MessagePortMain[] | undefined),
      // UtilityProcess.kill() is SIGTERM, which a stopped (hung) process never acts on: force is SIGKILL.
      kill: (force) => {
        if (force && proc.pid !== undefined) { try { process.kill(proc.pid, 'SIGKILL'); } catch { /* already gone */ } } else proc.kill();
      },
    };
  }

  /** Pushes to the tray only what changed (title, tooltip, menu). */
  function drawTray(text: TrayText = lastText): void {
    lastText = text;
    if (!tray) return;
    const items = menuTemplate({ paused, launchAtLogin: settings.launchAtLogin, platform: PLATFORM, text, windows: true });
    const u = trayView.next(text, items);
    if (u.title !== undefined && PLATFORM === 'darwin') tray.setTitle(u.title, { fontType: 'monospacedDigit' });
    if (u.tooltip !== undefined) tray.setToolTip(u.tooltip);
    if (u.menu) {
      menu = Menu.buildFromTemplate(u.menu.map(toElectron));
      if (trayWiring(PLATFORM).setContextMenu) tray.setContextMenu(menu);
    }
  }
  const toElectron = (i: MenuItem): MenuItemConstructorOptions => {
    if (i.type === 'separator') return { type: 'separator' };
    const action = i.action;
    return i.type === 'checkbox'
      ? { type: 'checkbox', label: i.label, checked: i.checked, click: () => run(i.action) }
      : { label: i.label, enabled: i.enabled, click: action ? () => run(action) : undefined };
  };
  const appMenu = (items: AppMenuItem[]): MenuItemConstructorOptions[] =>
    items.map((i) => ('submenu' in i ? { label: i.label, submenu: appMenu(i.submenu) } : i));

  function run(action: MenuAction): void {
    switch (action.kind) {
      case 'toggle-pause':
        paused = !paused;
        supervisor.send({ type: paused ? 'pause' : 'resume' });
        // Paused: say so instead of frozen speeds. Resumed: dashes until the next snapshot.
        drawTray(paused ? trayText(null, settings.units, settings.prefix, settings.totalInterfaces, true) : STARTING);
        break;
      case 'toggle-login': saveAndApply({ ...settings, launchAtLogin: !settings.launchAtLogin }); break;
      case 'quit': app.quit(); break;
      case 'open-popover': windows.togglePopover(tray, false); break;
      case 'open-view': windows.open(action.view, null); break;
    }
  }

  /** Saves valid settings, then applies them everywhere: engine, pages, tray, login item. */
  function saveAndApply(next: unknown): { ok: true; settings: Settings } | { ok: false; error: string } {
    try {
      applySettings(saveSettings(settingsFile(), next));
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
    supervisor.send({ type: 'set-config', config: engineConfigOf(settings) });
    carryOut(sessions.setSettings(settings));
    try {
      if (login.get() !== settings.launchAtLogin) login.set(settings.launchAtLogin);
    } catch (err) {
      return { ok: false, error: `settings saved, but launch at login could not be changed: ${(err as Error).message}` };
    }
    drawTray();
    return { ok: true, settings };
  }

  const supervisor = new Supervisor({
    spawn: spawnCollector,
    schedule: (fn, ms) => { const t = setTimeout(fn, ms); return { cancel: () => clearTimeout(t) }; },
    now: () => Date.now(),
    // A collector silent for 5 intervals (≥ 10 s) is killed and restarted, except while paused on purpose.
    liveness: { intervalMs: () => settings.samplingIntervalMs, paused: () => paused },
    onMessage: (m) => {
      if (m.type !== 'snapshot') return;
      carryOut(sessions.snapshot());
      drawTray(trayText(m.snapshot, settings.units, settings.prefix, settings.totalInterfaces, paused));
      notify(raised.next(m.snapshot.alerts.active));
    },
    onState: (s) => {
      if (s.state === 'running') { carryOut(sessions.collectorRunning()); return; }
      if (s.state === 'stale') drawTray(STALE);
      carryOut(sessions.collectorDown({ state: 'down', reason: downReason(s, 'collector') }));
    },
  });

  function notify(alerts: Parameters<NotificationGate['admit']>[0]): void {
    if (alerts.length === 0 || !settings.notifications.enabled || !Notification.isSupported()) return;
    // A condition the user snoozed in the Alerts window is not notified until the snooze ends.
    const now = Date.now();
    for (const n of gate.admit(alerts.filter((a) => snoozedUntil(settings.alertMarks, a.key, now) === null), now)) {
      const note = new Notification({ title: n.title, body: n.body });
      // Held until clicked or dismissed: a collected Notification loses its click handler.
      shown.keep(note);
      const id = n.kind === 'single' ? n.alert.id : n.alerts[0]?.id ?? null;
      note.on('click', () => { shown.release(note); windows.open('alerts', id); });
      note.on('close', () => shown.release(note));
      note.on('failed', () => shown.release(note));
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
      return req.channel === CH.setSettings ? saveAndApply(req.settings) : null;
    });
    ipcMain.on(CH.open, (e, ...args) => {
      const r = checkIpc(CH.open, e.senderFrame?.url, args);
      if (r.ok && r.req.channel === CH.open) launch({ view: r.req.view, arg: r.req.arg });
    });
  }

  app.on('second-instance', (_e, argv) => launch(secondLaunchRequest(argv)));
  // macOS: opening the app again (Finder, Spotlight, `open -a`) while it runs.
  app.on('activate', () => windows.openPopover(tray));
  app.on('before-quit', () => { windows.quitting = true; supervisor.stop(); });
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => {});

  void app.whenReady().then(() => {
    if (PLATFORM === 'darwin') app.dock?.hide();
    const template = appMenuTemplate(PLATFORM, app.getName());
    Menu.setApplicationMenu(template ? Menu.buildFromTemplate(appMenu(template)) : null);
    const loaded = loadSettings(settingsFile());
    applySettings(loaded.settings);
    sessions = new PageSessions(settings);
    serveRenderer(RENDERER);
    wireIpc();
    // macOS recolours the black template for the menu bar; Linux panels show the image as it is, so
    // there it is the coloured icon (scripts/tray-icons.ts), readable on dark and light panels.
    const icon = PLATFORM === 'darwin' ? 'trayTemplate.png' : 'trayLinux.png';
    tray = new Tray(nativeImage.createFromPath(path.join(app.getAppPath(), 'build', icon)));
    // macOS and Windows report clicks on the icon; Linux (AppIndicator) often only opens the menu, which has "Open NetWatch".
    tray.on('click', () => windows.togglePopover(tray, true));
    if (trayWiring(PLATFORM).popUpMenuOnRightClick) tray.on('right-click', () => { if (menu) tray?.popUpContextMenu(menu); });
    drawTray(STARTING);
    supervisor.start();
    const req = openRequest(process.argv);
    if (req) launch(req);
    // For the Playwright smoke test only (NETWATCH_TEST=1): what it cannot reach through Electron's API.
    if (process.env['NETWATCH_TEST'] === '1') {
      (globalThis as Record<string, unknown>)['__netwatchTest'] = { hasTray: () => tray !== null && !tray.isDestroyed(), notify };
    }
    if (loaded.notice && Notification.isSupported()) {
      const note = new Notification({ title: 'NetWatch settings', body: loaded.notice });
      shown.keep(note);
      note.on('close', () => shown.release(note));
      note.show();
    }
  });
}
