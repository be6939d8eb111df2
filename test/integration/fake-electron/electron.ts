// A stand-in for the `electron` module, enough of its main-process API for dist/electron/main/index.js
// to run under plain Node: the shell's wiring (index.ts, windows.ts) is then exercised for real
// against a real collector (utilityProcess.fork becomes child_process.fork of dist/collector/main.js).
// It records what the shell did (fake.log) and lets a scenario emit Electron's events. It imitates only
// what main uses, with Electron's documented semantics where they matter to the wiring:
// - app.whenReady() resolves even after app.quit() (the reason for the single-instance if/else);
// - a window's 'close' can be prevented; without that the window is destroyed and 'closed' follows;
// - isVisible() and friends throw on a destroyed window ("Object has been destroyed");
// - utilityProcess execArgv reach V8 only inside --js-flags (shared/engine-runtime.ts).
import { EventEmitter } from 'node:events';
import { fork, type ChildProcess } from 'node:child_process';

export const fake = {
  log: [] as Array<Record<string, unknown>>,
  lock: true,
  userData: '/nonexistent',
  windows: [] as BrowserWindow[],
  trays: [] as Tray[],
  children: [] as UtilityProcess[],
  notifications: [] as Notification[],
  app: null as unknown as FakeApp,
  record(kind: string, data: Record<string, unknown> = {}) { this.log.push({ kind, ...data }); },
};
(globalThis as Record<string, unknown>)['__fakeElectron'] = fake;

function destroyedCheck(o: { destroyed: boolean }): void {
  if (o.destroyed) throw new TypeError('Object has been destroyed');
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  commandLine = { getSwitchValue: (_s: string) => '', appendSwitch: () => {} };
  dock = { hide: () => fake.record('dock.hide') };
  #ready: Promise<void> = new Promise((r) => setTimeout(r, 10));
  requestSingleInstanceLock() { fake.record('requestSingleInstanceLock'); return fake.lock; }
  quit() { fake.record('app.quit'); this.emit('before-quit'); }
  setPath(name: string, p: string) { fake.record('app.setPath', { name, p }); if (name === 'userData') fake.userData = p; }
  getPath(name: string) { if (name !== 'userData') throw new Error(`getPath(${name})`); return fake.userData; }
  getAppPath() { return process.env['FAKE_APP_PATH'] ?? process.cwd(); }
  getName() { return 'NetWatch'; }
  whenReady() { fake.record('app.whenReady'); return this.#ready; }
  getLoginItemSettings() { return { openAtLogin: false }; }
  setLoginItemSettings(s: unknown) { fake.record('app.setLoginItemSettings', { s }); }
}
export const app = new FakeApp();
fake.app = app;

export const ipcMain = {
  handlers: new Map<string, (...a: unknown[]) => unknown>(),
  handle(ch: string, fn: (...a: unknown[]) => unknown) { this.handlers.set(ch, fn); },
  on(ch: string, fn: (...a: unknown[]) => unknown) { this.handlers.set(`on:${ch}`, fn); },
};

export class Menu {
  readonly template: unknown[];
  constructor(template: unknown[]) { this.template = template; }
  static buildFromTemplate(t: unknown[]) { return new Menu(t); }
  static setApplicationMenu(m: Menu | null) { fake.record('Menu.setApplicationMenu', { menu: m ? m.template : null }); }
}

export class MessageChannelMain {
  port1 = { kind: 'port1' };
  port2 = { kind: 'port2' };
}

export const nativeImage = { createFromPath: (p: string) => ({ path: p }) };

export class Notification extends EventEmitter {
  static isSupported() { return true; }
  readonly opts: { title: string; body: string };
  constructor(opts: { title: string; body: string }) { super(); this.opts = opts; fake.notifications.push(this); }
  show() { fake.record('Notification.show', { title: this.opts.title }); }
}

export class Tray extends EventEmitter {
  title = '';
  tooltip = '';
  menu: Menu | null = null;
  destroyed = false;
  readonly image: { path: string };
  constructor(image: { path: string }) { super(); this.image = image; fake.trays.push(this); fake.record('new Tray', { image: image.path }); }
  setTitle(t: string) { this.title = t; fake.record('tray.setTitle', { t }); }
  setToolTip(t: string) { this.tooltip = t; fake.record('tray.setToolTip', { t }); }
  setContextMenu(m: Menu) { this.menu = m; fake.record('tray.setContextMenu'); }
  popUpContextMenu(m: Menu) { fake.record('tray.popUpContextMenu', { items: m.template.length }); }
  getBounds() { return { x: 0, y: 0, width: 0, height: 0 }; }
  isDestroyed() { return this.destroyed; }
}

class UtilityProcess extends EventEmitter {
  child: ChildProcess;
  posted: unknown[] = [];
  constructor(modulePath: string, args: string[], opts: { execArgv?: string[]; env?: Record<string, string> }) {
    super();
    // Electron hands V8 only what --js-flags holds; anything else in execArgv is a Chromium switch.
    const v8 = (opts.execArgv ?? []).filter((a) => a.startsWith('--js-flags=')).flatMap((a) => a.slice('--js-flags='.length).split(' '));
    this.child = fork(modulePath, args, { env: opts.env, execArgv: v8, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.child.on('message', (m) => this.emit('message', m));
    this.child.on('exit', (code) => this.emit('exit', code ?? 0));
  }
  postMessage(m: unknown, transfer?: unknown[]) {
    this.posted.push(m);
    fake.record('collector.post', { m, ports: transfer?.length ?? 0 });
    if (this.child.connected) this.child.send(m as object); // ports cannot cross a Node IPC channel: dropped
  }
  kill() { return this.child.kill(); }
}
export const utilityProcess = {
  fork(modulePath: string, args: string[], opts: { execArgv?: string[]; env?: Record<string, string> }) {
    fake.record('utilityProcess.fork', { execArgv: opts.execArgv });
    const p = new UtilityProcess(modulePath, args, opts);
    fake.children.push(p);
    return p;
  },
};

let nextId = 1;
class WebContents extends EventEmitter {
  id = nextId++;
  destroyed = false;
  sent: Array<{ channel: string; data: unknown }> = [];
  send(channel: string, data: unknown) { destroyedCheck(this); this.sent.push({ channel, data }); }
  postMessage(channel: string, _m: unknown, ports: unknown[]) { destroyedCheck(this); this.sent.push({ channel, data: { ports: ports.length } }); }
  setWindowOpenHandler() {}
  isDestroyed() { return this.destroyed; }
}

export class BrowserWindow extends EventEmitter {
  webContents = new WebContents();
  destroyed = false;
  visible = false;
  minimized = false;
  url = '';
  position: [number, number] | null = null;
  readonly opts: Record<string, unknown>;
  constructor(opts: Record<string, unknown>) { super(); this.opts = opts; fake.windows.push(this); }
  async loadURL(url: string) {
    destroyedCheck(this);
    this.url = url;
    await new Promise((r) => setTimeout(r, 5));
    if (this.destroyed) return;
    this.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }
  /** A reload as the user's Ctrl+R would do it. */
  reload() { void this.loadURL(this.url); }
  isDestroyed() { return this.destroyed; }
  isVisible() { destroyedCheck(this); return this.visible; }
  isMinimized() { destroyedCheck(this); return this.minimized; }
  show() { destroyedCheck(this); const was = this.visible; this.visible = true; if (!was) this.emit('show'); }
  hide() { destroyedCheck(this); const was = this.visible; this.visible = false; if (was) this.emit('hide'); }
  focus() { destroyedCheck(this); }
  restore() { destroyedCheck(this); this.minimized = false; this.emit('restore'); }
  setPosition(x: number, y: number) { destroyedCheck(this); this.position = [x, y]; }
  /** What Cmd/Ctrl+W or the window manager does. */
  close() {
    destroyedCheck(this);
    let prevented = false;
    this.emit('close', { preventDefault: () => { prevented = true; } });
    if (prevented) return;
    this.visible = false;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  /** The popover losing focus. */
  blur() { this.emit('blur'); }
}

export const net = { fetch: () => Promise.resolve(new Response('')) };
export const protocol = { registerSchemesAsPrivileged: () => {}, handle: () => {} };
export const screen = {
  getAllDisplays: () => [{ bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 27, width: 1920, height: 1053 } }],
  getCursorScreenPoint: () => ({ x: 1800, y: 10 }),
};
export const session = { defaultSession: { setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {} } };
export default { app, ipcMain, Menu, MessageChannelMain, nativeImage, Notification, Tray, utilityProcess, BrowserWindow, net, protocol, screen, session };
