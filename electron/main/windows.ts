// The popover and drill-down windows, hardened per the Electron security checklist (settings from
// security.ts), loading the renderer from app://netwatch through protocol.handle — never file:// or
// the network. Placement and visibility decisions are pure (placement.ts); this file only wires them.
import { BrowserWindow, net, protocol, screen, session, type Tray, type WebContents } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { routeOf, type ViewName } from '../../shared/index.ts';
import { APP_ORIGIN, CSP, appPath, isAppUrl, webPreferences } from './security.ts';
import { contentTypeOf } from '../../shared/csp.ts';
import { placePopover } from './placement.ts';

const POPOVER = { width: 360, height: 520 };
const SIZES: Record<Exclude<ViewName, 'popover'>, { width: number; height: number }> = {
  interface: { width: 900, height: 680 }, processes: { width: 900, height: 600 }, connections: { width: 1200, height: 760 },
  alerts: { width: 900, height: 560 }, settings: { width: 640, height: 780 },
};

/** Before app ready: app:// is a standard, secure scheme (so 'self' in the CSP means it). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** After app ready: serve dist/renderer under app://netwatch with the CSP on every response; deny all permissions. */
export function serveRenderer(root: string): void {
  protocol.handle('app', async (req) => {
    const file = appPath(req.url, root);
    if (!file) return new Response('not found', { status: 404 });
    const r = await net.fetch(pathToFileURL(file).toString());
    return new Response(r.body, { status: r.status, headers: { 'Content-Type': contentTypeOf(path.extname(file)), 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, done) => done(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export class Windows {
  #popover: BrowserWindow | null = null;
  #views = new Map<ViewName, BrowserWindow>();
  #preload: string;
  #onVisible: (visible: boolean) => void;
  #onLoad: (wc: WebContents) => void;

  /** `onLoad` runs each time a window's page (re)loads: it needs a fresh port to the collector then. */
  constructor(preload: string, onVisible: (visible: boolean) => void, onLoad: (wc: WebContents) => void) {
    this.#preload = preload;
    this.#onVisible = onVisible;
    this.#onLoad = onLoad;
  }

  #create(view: ViewName, arg: string | null, opts: Electron.BrowserWindowConstructorOptions): BrowserWindow {
    const win = new BrowserWindow({ ...opts, show: false, webPreferences: webPreferences(this.#preload) });
    const wc = win.webContents;
    wc.on('will-navigate', (e, url) => { if (!isAppUrl(url)) e.preventDefault(); });
    wc.on('will-redirect', (e, url) => { if (!isAppUrl(url)) e.preventDefault(); });
    wc.on('will-attach-webview', (e) => e.preventDefault());
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.on('did-finish-load', () => this.#onLoad(wc));
    for (const ev of ['show', 'hide', 'closed'] as const) win.on(ev as 'show', () => this.#onVisible(this.anyVisible()));
    void win.loadURL(`${APP_ORIGIN}/index.html${routeOf(view, arg)}`);
    return win;
  }

  anyVisible(): boolean {
    return [this.#popover, ...this.#views.values()].some((w) => w && !w.isDestroyed() && w.isVisible());
  }

  togglePopover(tray: Tray): void {
    if (this.#popover?.isVisible()) { this.#popover.hide(); return; }
    if (!this.#popover || this.#popover.isDestroyed()) {
      this.#popover = this.#create('popover', null, { ...POPOVER, frame: false, resizable: false, skipTaskbar: true, alwaysOnTop: true, fullscreenable: false });
      this.#popover.on('blur', () => this.#popover?.hide());
    }
    const displays = screen.getAllDisplays().map((d) => ({ bounds: d.bounds, workArea: d.workArea }));
    const platform = process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux';
    const at = placePopover({ platform, trayBounds: tray.getBounds(), cursor: screen.getCursorScreenPoint(), displays, size: POPOVER });
    this.#popover.setPosition(at.x, at.y);
    this.#popover.show();
  }

  /** One window per drill-down: opening it again focuses it (and moves it to the new argument). */
  open(view: ViewName, arg: string | null): void {
    if (view === 'popover') return;
    const cur = this.#views.get(view);
    if (cur && !cur.isDestroyed()) {
      if (arg !== null) void cur.loadURL(`${APP_ORIGIN}/index.html${routeOf(view, arg)}`);
      cur.show();
      cur.focus();
      return;
    }
    const win = this.#create(view, arg, { ...SIZES[view], title: `NetWatch — ${view}`, minWidth: 420, minHeight: 320 });
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => this.#views.delete(view));
    this.#views.set(view, win);
  }

  /** Every open window's page. */
  pages(): WebContents[] {
    return [this.#popover, ...this.#views.values()].filter((w): w is BrowserWindow => !!w && !w.isDestroyed()).map((w) => w.webContents);
  }

  /** To every open window (link state; snapshots go over each window's own port). */
  broadcast(channel: string, data: unknown): void {
    for (const wc of this.pages()) wc.send(channel, data);
  }
}
