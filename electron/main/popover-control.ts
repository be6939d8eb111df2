// The popover's decisions, pure: what a tray click, a right-click, a blur or a close does, and how the
// window is made on each desktop. windows.ts carries the commands out on a BrowserWindow.

/** What the popover window is right now; `absent` also covers a destroyed window. */
export type PopoverState = 'absent' | 'hidden' | 'visible';

/**
 * Asks isDestroyed() first: isVisible() on a destroyed BrowserWindow throws "Object has been
 * destroyed" (after Cmd/Ctrl+W closed it, or at quit).
 */
export function popoverState(win: { isDestroyed(): boolean; isVisible(): boolean } | null): PopoverState {
  if (!win || win.isDestroyed()) return 'absent';
  return win.isVisible() ? 'visible' : 'hidden';
}

export type Platform = 'darwin' | 'linux' | 'win32';

/** How the tray is wired on this platform. */
export interface TrayWiring {
  /**
   * macOS: no context menu on the tray. With one set, a left click opens the menu *and* fires
   * 'click', so the popover would toggle under the menu; the menu is popped up on right-click instead.
   * Linux (StatusNotifierItem/AppIndicator) often delivers no clicks at all: the menu must be set and
   * carries "Open NetWatch".
   */
  setContextMenu: boolean;
  popUpMenuOnRightClick: boolean;
}

export function trayWiring(platform: Platform): TrayWiring {
  return platform === 'darwin'
    ? { setContextMenu: false, popUpMenuOnRightClick: true }
    : { setContextMenu: true, popUpMenuOnRightClick: false };
}

export type PopoverCommand = 'create-and-show' | 'show' | 'hide' | 'none';

/**
 * How long after a blur hid the popover a tray click is taken as the same gesture. Clicking the icon
 * while the popover is open first blurs it (we hide it), then delivers 'click', which would show it
 * again at once. The `menubar` library guards the same race with a 100 ms timer on blur; 250 ms here
 * leaves room for a slow machine without swallowing a deliberate second click.
 */
export const BLUR_CLICK_GUARD_MS = 250;

export class PopoverControl {
  #hiddenByBlurAt = -Infinity;
  #guardMs: number;

  constructor(guardMs = BLUR_CLICK_GUARD_MS) { this.#guardMs = guardMs; }

  /** A left click on the tray icon (or "Open NetWatch", a second launch, macOS activate with `fromTray` false). */
  toggle(state: PopoverState, now: number, fromTray = true): PopoverCommand {
    if (state === 'visible') return 'hide';
    if (fromTray && now - this.#hiddenByBlurAt < this.#guardMs) {
      this.#hiddenByBlurAt = -Infinity; // one click consumes the guard
      return 'none';
    }
    return state === 'absent' ? 'create-and-show' : 'show';
  }

  /** Open without toggling: a second launch or macOS `activate` must never close it. */
  open(state: PopoverState): PopoverCommand {
    if (state === 'visible') return 'show'; // focus it again
    return state === 'absent' ? 'create-and-show' : 'show';
  }

  /** The popover lost focus. Where it hides on blur (not on Wayland, see popoverMode), hide and remember when. */
  blur(state: PopoverState, now: number, mode: PopoverMode): PopoverCommand {
    if (!mode.hideOnBlur || state !== 'visible') return 'none';
    this.#hiddenByBlurAt = now;
    return 'hide';
  }

  /** A close request (Cmd/Ctrl+W, the window manager): the popover hides instead, except while quitting. */
  close(quitting: boolean): 'allow' | 'prevent-and-hide' {
    return quitting ? 'allow' : 'prevent-and-hide';
  }
}

/**
 * How the popover is made. On X11 and macOS: a frameless, always-on-top panel we place under the tray
 * icon (or at the cursor) that hides when it loses focus. On Wayland the compositor owns placement:
 * setPosition, setAlwaysOnTop and getCursorScreenPoint are unsupported, and a frameless window could
 * not even be moved by the user. There it is an ordinary framed window the compositor places (GNOME
 * and KDE centre new windows), which stays until closed or toggled, since focus loss on Wayland can
 * come before the window was ever focused (focus-stealing prevention).
 */
export interface PopoverMode {
  frame: boolean;
  alwaysOnTop: boolean;
  /** Whether windows.ts computes a position (placement.ts) and calls setPosition. */
  place: boolean;
  hideOnBlur: boolean;
  skipTaskbar: boolean;
}

export function popoverMode(platform: Platform, wayland: boolean): PopoverMode {
  if (platform === 'linux' && wayland) return { frame: true, alwaysOnTop: false, place: false, hideOnBlur: false, skipTaskbar: false };
  return { frame: false, alwaysOnTop: true, place: true, hideOnBlur: true, skipTaskbar: true };
}

/**
 * Whether Electron (≥ 38, default `--ozone-platform-hint=auto`) runs on Wayland, by Chromium's own rule
 * (ui/linux/display_server_utils.cc): an explicit `--ozone-platform` wins; the hint `auto` means
 * Wayland when XDG_SESSION_TYPE is `wayland`; the hint `wayland` also when a Wayland display exists
 * (WAYLAND_DISPLAY, or `$XDG_RUNTIME_DIR/wayland-0`); anything else is X11.
 */
export function runsOnWayland(o: {
  platform: Platform;
  ozonePlatform: string; // app.commandLine.getSwitchValue('ozone-platform'), '' when absent
  ozonePlatformHint: string; // likewise for 'ozone-platform-hint'
  env: Record<string, string | undefined>;
  waylandSocketExists: boolean; // $XDG_RUNTIME_DIR/wayland-0
}): boolean {
  if (o.platform !== 'linux') return false;
  if (o.ozonePlatform) return o.ozonePlatform === 'wayland';
  const hint = o.ozonePlatformHint || 'auto';
  const session = o.env['XDG_SESSION_TYPE'] === 'wayland';
  if (hint === 'auto') return session;
  if (hint === 'wayland') return session || !!o.env['WAYLAND_DISPLAY'] || o.waylandSocketExists;
  return false;
}
