// The popover and drill-down windows, hardened per the Electron security checklist (settings from
// security.ts), loading the renderer from app://netwatch through protocol.handle — never file:// or
// the network. Every decision is pure and tested: placement (placement.ts), the popover's toggling,
// blur, close and Wayland mode (popover-control.ts), what pages are told (page-sessions.ts); this file
// only wires them to BrowserWindow.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { routeOf, type ViewName } from '../../shared/index.ts';
import { APP_ORIGIN, CSP, appPath, isAppUrl, webPreferences } from './security.ts';
import { contentTypeOf } from '../../shared/csp.ts';
import { placePopover } from './placement.ts';
import { PopoverControl, popoverMode, popoverState, type Platform, type PopoverCommand, type PopoverMode } from './popover-control.ts';
import { BrowserWindow, net, protocol, screen, session, type Tray, type WebContents } from 'electron';

const POPOVER = { width: 360, height: 520 };
const SIZES: Record<Exclude<ViewName, 'popover'>, { width: number; height: number }> = {
  interface: { width: 900, height: 680 }, processes: { width: 900, height: 600 }, connections: { width: 1200, height: 760 },
  usage: { width: 1100, height: 760 }, dns: { width: 900, height: 720 }, alerts: { width: 900, height: 560 }, settings: { width: 640, height: 780 },
  system: { width: 900, height: 760 },
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

/** What happened to a page, for page-sessions.ts (index.ts turns it into messages). */
export type PageEvent = 'opened' | 'loaded' | 'unloaded' | 'shown' | 'hidden' | 'closed';

export class Windows {
  #popover: BrowserWindow | null = null;
  #views = new Map<ViewName, BrowserWindow>();
  #preload: string;
  #onPage: (ev: PageEvent, page: number) => void;
  #control = new PopoverControl();
  #mode: PopoverMode;
  #platform: Platform;
  /** Set at before-quit: the popover then closes for real instead of hiding. */
  quitting = false;

  /** `onPage` gets the page's webContents id, read at creation: a destroyed WebContents throws on any access. */
  constructor(preload: string, platform: Platform, wayland: boolean, onPage: (ev: PageEvent, page: number) => void) {
    this.#preload = preload;
    this.#platform = platform;
    this.#mode = popoverMode(platform, wayland);
    this.#onPage = onPage;
  }

  #create(view: ViewName, arg: string | null, opts: Electron.BrowserWindowConstructorOptions): BrowserWindow {
    const win = new BrowserWindow({ ...opts, show: false, webPreferences: webPreferences(this.#preload) });
    const wc = win.webContents;
    const id = wc.id;
    wc.on('will-navigate', (e, url) => { if (!isAppUrl(url)) e.preventDefault(); });
    wc.on('will-redirect', (e, url) => { if (!isAppUrl(url)) e.preventDefault(); });
    wc.on('will-attach-webview', (e) => e.preventDefault());
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.on('did-start-navigation', (d) => { if (d.isMainFrame && !d.isSameDocument) this.#onPage('unloaded', id); });
    wc.on('did-finish-load', () => this.#onPage('loaded', id));
    // Visible means shown and not minimised: what the collector's fast cadence is for.
    for (const ev of ['show', 'restore'] as const) win.on(ev as 'show', () => this.#onPage('shown', id));
    for (const ev of ['hide', 'minimize'] as const) win.on(ev as 'hide', () => this.#onPage('hidden', id));
    win.on('closed', () => this.#onPage('closed', id));
    this.#onPage('opened', id);
    void win.loadURL(`${APP_ORIGIN}/index.html${routeOf(view, arg)}`);
    return win;
  }

  /** A tray click (or the menu's "Open NetWatch"): shows a hidden popover, hides a shown one. */
  togglePopover(tray: Tray | null, fromTray: boolean): void {
    this.#apply(this.#control.toggle(popoverState(this.#popover), Date.now(), fromTray), tray);
  }

  /** A second launch or macOS activate: shows it, never hides it. */
  openPopover(tray: Tray | null): void {
    this.#apply(this.#control.open(popoverState(this.#popover)), tray);
  }

  #apply(cmd: PopoverCommand, tray: Tray | null): void {
    if (cmd === 'none') return;
    if (cmd === 'hide') { this.#popover?.hide(); return; }
    if (cmd === 'create-and-show') {
      const m = this.#mode;
      const win = this.#create('popover', null, {
        ...POPOVER, title: 'NetWatch', frame: m.frame, resizable: false, skipTaskbar: m.skipTaskbar,
        alwaysOnTop: m.alwaysOnTop, fullscreenable: false, minimizable: !m.skipTaskbar, maximizable: false,
      });
      win.on('blur', () => { if (this.#control.blur(popoverState(win), Date.now(), m) === 'hide') win.hide(); });
      // Cmd/Ctrl+W or the window manager's close: hide, so the next click is instant and nothing is lost.
      win.on('close', (e) => { if (this.#control.close(this.quitting) === 'prevent-and-hide') { e.preventDefault(); win.hide(); } });
      this.#popover = win;
    }
    const win = this.#popover;
    if (!win || win.isDestroyed()) return;
    if (this.#mode.place) {
      const displays = screen.getAllDisplays().map((d) => ({ bounds: d.bounds, workArea: d.workArea }));
      const trayBounds = tray && !tray.isDestroyed() ? tray.getBounds() : { x: 0, y: 0, width: 0, height: 0 };
      const at = placePopover({ platform: this.#platform, trayBounds, cursor: screen.getCursorScreenPoint(), displays, size: POPOVER });
      win.setPosition(at.x, at.y);
    }
    win.show();
    win.focus();
  }

  /** One window per drill-down: opening it again focuses it (and moves it to the new argument). */
  open(view: ViewName, arg: string | null): void {
    if (view === 'popover') return;
    const cur = this.#views.get(view);
    if (cur && !cur.isDestroyed()) {
      if (arg !== null) void cur.loadURL(`${APP_ORIGIN}/index.html${routeOf(view, arg)}`);
      if (cur.isMinimized()) cur.restore();
      cur.show();
      cur.focus();
      return;
    }
    const win = this.#create(view, arg, { ...SIZES[view], title: `NetWatch — ${view}`, minWidth: 420, minHeight: 320 });
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => this.#views.delete(view));
    this.#views.set(view, win);
  }

  /** The live page with this web contents id (messages go only to pages that still exist). */
  page(id: number): WebContents | null {
    for (const w of [this.#popover, ...this.#views.values()]) {
      if (w && !w.isDestroyed() && !w.webContents.isDestroyed() && w.webContents.id === id) return w.webContents;
    }
    return null;
  }
}
