// How the app starts, decided without Electron: the single-instance rule, where the user data lives,
// and what a launch (first or second) asks to open.
import { VIEWS, type ViewName } from '../../shared/index.ts';

/** What the parts of `app` used here look like (structural, so tests pass a fake). */
export interface StartupApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  setPath(name: 'userData', path: string): void;
}

/**
 * `NETWATCH_USER_DATA` puts settings, the single-instance lock and Chromium's profile in another
 * folder (the smoke test runs beside a real instance that way). Applied before the lock is asked for:
 * Chromium's process singleton lives in the user data folder.
 *
 * Returns whether this process is the first instance. Electron's documented pattern: a second
 * instance quits and does nothing else. `app.quit()` before ready still lets `whenReady()` resolve, so
 * the caller must not register its ready handler at all when this returns false (else the second
 * instance makes a tray, forks a collector and may move a "corrupt" settings file aside).
 */
export function claimInstance(app: StartupApp, env: Record<string, string | undefined>): boolean {
  const dir = env['NETWATCH_USER_DATA'];
  if (dir) app.setPath('userData', dir);
  if (app.requestSingleInstanceLock()) return true;
  app.quit();
  return false;
}

export type LaunchRequest = { view: ViewName; arg: string | null };

/**
 * `--open=connections`, `--open=interface:eth0`, `--open=popover` → that view; anything else in the
 * argv is Electron's or Chromium's own. An unknown view is ignored (null), never an error at start.
 */
export function openRequest(argv: readonly string[]): LaunchRequest | null {
  const v = argv.find((a) => a.startsWith('--open='))?.slice('--open='.length);
  if (!v) return null;
  const i = v.indexOf(':');
  const view = i < 0 ? v : v.slice(0, i);
  const arg = i < 0 ? null : v.slice(i + 1).slice(0, 200) || null;
  return (VIEWS as readonly string[]).includes(view) ? { view: view as ViewName, arg } : null;
}

/**
 * A second launch hands its argv to the running instance: what it names opens there, and a plain
 * second launch (from the app menu, a dock or a desktop file) opens the popover, as a person clicking
 * the app's icon again expects. macOS `activate` (Finder, Spotlight, `open -a`) is a plain launch too.
 */
export function secondLaunchRequest(argv: readonly string[]): LaunchRequest {
  return openRequest(argv) ?? { view: 'popover', arg: null };
}
