// The names and icons people know applications by on Linux: XDG desktop entries
// ($XDG_DATA_HOME/applications, then each $XDG_DATA_DIRS/applications), matched by the program their
// Exec line runs. Read through OsIO; a folder that is missing or unreadable is simply skipped.
import type { OsIO } from '../os.ts';
import { isInterpreter } from '../app-identity.ts';

export interface DesktopEntry { name: string; icon: string | null; exec: string; file: string }

/**
 * Sample:
 * ```
 * [Desktop Entry]
 * Name=Firefox Web Browser
 * Exec=/usr/lib/firefox/firefox %u
 * Icon=firefox
 * ```
 * Keys of the `[Desktop Entry]` group only (actions have their own groups); localised `Name[de]=`
 * keys are ignored. Null for anything that is not a launchable application entry (Type other than
 * Application, Hidden=true, no Name or Exec).
 */
export function parseDesktopEntry(text: string, file = ''): DesktopEntry | null {
  let inMain = false;
  const kv = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('[')) { inMain = line === '[Desktop Entry]'; continue; }
    if (!inMain) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (!kv.has(key)) kv.set(key, line.slice(eq + 1).trim());
  }
  const name = kv.get('Name'), exec = kv.get('Exec');
  if (!name || !exec) return null;
  if ((kv.get('Type') ?? 'Application') !== 'Application' || kv.get('Hidden') === 'true') return null;
  return { name, icon: kv.get('Icon') || null, exec, file };
}

/**
 * The program an Exec line starts: `env GDK_BACKEND=x11 "/opt/My App/app" --flag %U` → `/opt/My App/app`.
 * Quoting per the Desktop Entry Specification (double quotes, backslash escapes); `env` and its
 * VAR=value words, and `flatpak run`-style wrappers are not the program the process will show, so a
 * wrapper other than env gives null (no match rather than a wrong one).
 */
export function execProgram(exec: string): string | null {
  const words: string[] = [];
  let cur = '', quoted = false, any = false;
  for (let i = 0; i < exec.length; i++) {
    const c = exec[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < exec.length) { cur += exec[++i]; continue; }
      if (c === '"') { quoted = false; continue; }
      cur += c;
    } else if (c === '"') { quoted = true; any = true; } else if (c === ' ' || c === '\t') {
      if (cur || any) words.push(cur);
      cur = ''; any = false;
    } else cur += c;
  }
  if (cur || any) words.push(cur);
  let i = 0;
  if (words[0] === 'env' || words[0]?.endsWith('/env')) {
    i = 1;
    while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || words[i]!.startsWith('-'))) i++;
  }
  const prog = words[i];
  if (!prog || prog.startsWith('%')) return null;
  if (/^(flatpak|snap|sh|bash|gtk-launch|xdg-open|pkexec|sudo)$/.test(prog.slice(prog.lastIndexOf('/') + 1))) return null;
  return prog;
}

/** XDG base directories for applications, most important first. */
export function applicationDirs(env: Record<string, string | undefined>, home: string): string[] {
  const dataHome = env['XDG_DATA_HOME'] && env['XDG_DATA_HOME'].startsWith('/') ? env['XDG_DATA_HOME'] : `${home}/.local/share`;
  const dataDirs = (env['XDG_DATA_DIRS'] || '/usr/local/share:/usr/share').split(':').filter((d) => d.startsWith('/'));
  return [dataHome, ...dataDirs].map((d) => `${d.replace(/\/$/, '')}/applications`);
}

/** How long the index is trusted before the folders are read again (ms): apps get installed. */
export const DESKTOP_REFRESH_MS = 5 * 60_000;

export class DesktopIndex {
  #os: OsIO;
  #dirs: string[];
  #byPath = new Map<string, DesktopEntry>();
  #byBase = new Map<string, DesktopEntry>();
  #readAt = -Infinity;

  constructor(os: OsIO, dirs: string[]) { this.#os = os; this.#dirs = dirs; }

  #load(): void {
    this.#byPath.clear();
    this.#byBase.clear();
    // Earlier folders win (a user's own entry overrides the system's), as XDG says.
    for (const dir of this.#dirs) this.#scan(dir, 0);
    this.#readAt = this.#os.now();
  }

  #scan(dir: string, depth: number): void {
    let names: string[];
    try { names = this.#os.listDir(dir); } catch { return; }
    for (const n of names) {
      const p = `${dir}/${n}`;
      if (!n.endsWith('.desktop')) { if (depth < 2 && !n.includes('.')) this.#scan(p, depth + 1); continue; }
      let text: string;
      try { text = this.#os.readText(p); } catch { continue; }
      const e = parseDesktopEntry(text, p);
      const prog = e && execProgram(e.exec);
      // `Exec=python3 /usr/share/foo/foo.py` would name every python process Foo: interpreters are
      // named by their script instead (app-identity.ts).
      if (!e || !prog || isInterpreter(prog)) continue;
      if (prog.startsWith('/')) { if (!this.#byPath.has(prog)) this.#byPath.set(prog, e); } else if (!this.#byBase.has(prog)) this.#byBase.set(prog, e);
    }
  }

  /** The entry that runs this executable: by absolute path first, else by the program's name on PATH. */
  lookup(exe: string, argv0 = ''): DesktopEntry | null {
    if (this.#os.now() - this.#readAt > DESKTOP_REFRESH_MS) this.#load();
    const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
    return this.#byPath.get(exe) ?? (argv0.startsWith('/') ? this.#byPath.get(argv0) : undefined)
      ?? this.#byBase.get(base(exe)) ?? (argv0 ? this.#byBase.get(base(argv0)) : undefined) ?? null;
  }
}
