// Launch at login on Linux. Electron's app.setLoginItemSettings works on macOS and Windows only; on
// Linux desktops (GNOME, KDE, Xfce, Cinnamon, MATE) the XDG Autostart specification is the mechanism:
// a desktop entry in $XDG_CONFIG_HOME/autostart/ (default ~/.config/autostart/) is started at login,
// and removing the file turns it off. No Electron here, so it is tested against a temporary folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const AUTOSTART_FILE = 'netwatch.desktop';

/** $XDG_CONFIG_HOME/autostart/netwatch.desktop; the spec ignores a relative XDG_CONFIG_HOME. */
export function autostartPath(env: Record<string, string | undefined>, home = os.homedir()): string {
  const xdg = env['XDG_CONFIG_HOME'];
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
  return path.join(base, 'autostart', AUTOSTART_FILE);
}

/**
 * What to start: the AppImage itself when running from one (process.execPath points into its
 * temporary mount, gone after this run); the installed binary when packaged; Electron plus the app
 * folder in development.
 */
export function autostartCommand(o: { execPath: string; appPath: string; isPackaged: boolean; appImage?: string | undefined }): string[] {
  if (o.appImage) return [o.appImage];
  return o.isPackaged ? [o.execPath] : [o.execPath, o.appPath];
}

/**
 * One Exec argument, quoted per the Desktop Entry Specification: arguments with reserved characters go
 * in double quotes with `"`, `` ` ``, `$` and `\` escaped; a literal `%` is written `%%`; then the
 * whole value is a string value, whose own escape doubles every backslash again.
 */
export function execArg(arg: string): string {
  const percent = arg.replace(/%/g, '%%');
  const quoted = /^[A-Za-z0-9_@%+=:,./-]+$/.test(percent) ? percent : `"${percent.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replace(/\\/g, '\\\\');
}

export function desktopEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=NetWatch',
    'Comment=Network monitor in the tray',
    `Exec=${command.map(execArg).join(' ')}`,
    'Icon=netwatch',
    'Terminal=false',
    'Categories=Network;Monitor;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Whether NetWatch starts at login: our file exists and is not disabled (Hidden=true) by the desktop's own settings. */
export function isAutostartEnabled(file: string): boolean {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch { return false; }
  return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
}

/** Writes (atomically, via a temporary file) or removes the entry. Throws with the reason on failure. */
export function setAutostart(file: string, enabled: boolean, command: string[]): void {
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, desktopEntry(command), { mode: 0o644 });
  fs.renameSync(tmp, file);
}
