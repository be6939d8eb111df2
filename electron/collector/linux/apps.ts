// Linux application identity: /proc/<pid>/exe and cmdline of the process that stands for the app
// (proc-fd.ts appRoot), the desktop entry that runs that executable, and whether it is NetWatch's own.
import type { AppIdentity } from '../../../shared/index.ts';
import { identify, isInterpreter } from '../app-identity.ts';
import type { OsIO } from '../os.ts';
import type { DesktopIndex } from './desktop-entries.ts';
import type { ProcFdMap } from './proc-fd.ts';

/**
 * `/proc/<pid>/cmdline` sample: `node\0/srv/server.js\0--port\08080\0` → argv; empty for kernel
 * threads. A program that renamed itself (Node's process.title) leaves its new name and a run of NULs
 * where the old argv was: trailing empty strings are dropped.
 */
export function parseCmdline(text: string): string[] {
  const argv = text.split('\0');
  while (argv.length && argv.at(-1) === '') argv.pop();
  return argv;
}

export class LinuxApps {
  #os: OsIO;
  #fd: ProcFdMap;
  #desktop: DesktopIndex | null;
  #self: { pid: number; ppid: number };
  /** Per app root "pid/start": identities are read once per process lifetime. */
  #cache = new Map<string, AppIdentity>();
  #cmdlines = new Map<string, string[]>();

  /** `self`: the engine's pid and its host's (serve, or Electron main whose helpers share its exe). */
  constructor(os: OsIO, fd: ProcFdMap, desktop: DesktopIndex | null, self: { pid: number; ppid: number }) {
    this.#os = os; this.#fd = fd; this.#desktop = desktop; this.#self = self;
  }

  #argv(pid: number, start: number): string[] {
    const key = `${pid}/${start}`;
    let argv = this.#cmdlines.get(key);
    if (!argv) {
      try { argv = parseCmdline(this.#os.readText(`/proc/${pid}/cmdline`)); } catch { argv = []; }
      this.#cmdlines.set(key, argv);
      if (this.#cmdlines.size > 4096) this.#cmdlines.delete(this.#cmdlines.keys().next().value!);
    }
    return argv;
  }

  /** This process's own command line (the app's is its root's). */
  command(pid: number): string {
    const p = this.#fd.process(pid);
    return p ? (this.#argv(pid, p.start).join(' ') || p.name).slice(0, 300) : `pid ${pid}`;
  }

  identity(pid: number): AppIdentity | null {
    const me = this.#fd.process(pid);
    if (!me) return null;
    // Helpers running their parent's executable belong to it (browser renderers, Electron helpers) —
    // but an interpreter's executable says nothing: `node worker.js` started by `node app.js` is its own program.
    const root = me.exe && isInterpreter(me.exe) ? me : this.#fd.appRoot(pid) ?? me;
    const key = `${root.pid}/${root.start}`;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const argv = this.#argv(root.pid, root.start);
    const self = root.pid === this.#self.pid || root.pid === this.#self.ppid || this.#fd.descendsFrom(pid, this.#self.pid);
    const desktop = root.exe && this.#desktop ? this.#desktop.lookup(root.exe, argv[0]) : null;
    const id = identify({ exe: root.exe, argv, name: root.name, desktop, self });
    this.#cache.set(key, id);
    if (this.#cache.size > 4096) this.#cache.delete(this.#cache.keys().next().value!);
    return id;
  }
}
