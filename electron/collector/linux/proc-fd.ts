// Which process owns which socket: /proc/<pid>/fd/* links read `socket:[<inode>]`.
// A full walk costs ~100 ms at 16,000 sockets (readlink per fd), so the map is kept between polls and
// only fds whose socket is gone or unknown are read again (see README, Performance).
import type { OsIO } from '../os.ts';

export interface ProcInfo {
  pid: number;
  /** Short name: /proc/<pid>/comm, or argv[0]'s base name when comm is cut at 15 characters or is Node's "MainThread". */
  name: string;
  ppid: number;
  /** Executable path when readable (same user or root); groups helpers under their app. */
  exe: string | null;
  /** Start time in clock ticks since boot: tells a reused pid from the original. */
  start: number;
}

/** `/proc/<pid>/stat` sample: `4322 (node) S 4300 4322 4300 34816 ... 22 fields ... 123456 ...` */
export function parseProcStat(text: string): { ppid: number; start: number } | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).split(' ');
  // After "(comm) ": state is field 3, ppid 4, starttime 22 (1-based in proc(5)).
  const ppid = Number(f[1]);
  const start = Number(f[19]);
  if (!Number.isSafeInteger(ppid) || !Number.isSafeInteger(start)) return undefined;
  return { ppid, start };
}

/** `socket:[36813]` → 36813. */
export function socketInode(link: string): number | undefined {
  if (!link.startsWith('socket:[')) return undefined;
  const n = Number(link.slice(8, -1));
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The inodes listed in this poll: a Set, or anything that answers the same two questions. */
export interface LiveInodes {
  has(inode: number): boolean;
  forEach(fn: (inode: number) => void): void;
}

/**
 * A reusable set of this poll's inodes: marking an inode already present from the last poll allocates
 * nothing (a fresh Set of 16k inodes every 2 s was half of a poll's garbage, measured with V8's
 * sampling heap profiler). Inodes not marked in a poll are dropped by `sweep`.
 */
export class InodeGenerations implements LiveInodes {
  #m = new Map<number, number>();
  #gen = 0;
  /** Starts a new poll. */
  next(): void { this.#gen++; }
  mark(inode: number): void { this.#m.set(inode, this.#gen); }
  has(inode: number): boolean { return this.#m.get(inode) === this.#gen; }
  forEach(fn: (inode: number) => void): void { this.#m.forEach((g, ino) => { if (g === this.#gen) fn(ino); }); }
  /** Forgets inodes not marked since `next()`. */
  sweep(): void { this.#m.forEach((g, ino) => { if (g !== this.#gen) this.#m.delete(ino); }); }
}

export interface ResolveStats { walked: boolean; readlinks: number; processes: number; denied: number }

export class ProcFdMap {
  #os: OsIO;
  /** inode → pid */
  #owner = new Map<number, number>();
  /**
   * pid → fd → inode (-1: not a socket), so unchanged fds are not read again. Numbers, not "pid/fd"
   * strings: those were 16k live strings at 16k sockets (~0.5 MB) and 16k new ones per walk.
   */
  #fdCache = new Map<number, Map<number, number>>();
  /** inodes a full walk could not place (other users' processes, kernel sockets). */
  #unplaceable = new Set<number>();
  #procs = new Map<number, ProcInfo>();
  #denied = 0;

  /** Processes whose fds the last walk could not read (another user's, without root). */
  get denied(): number { return this.#denied; }

  constructor(os: OsIO) { this.#os = os; }

  /** Brings the map up to date for the given live inodes; walks /proc only when one is unknown. */
  resolve(live: LiveInodes): ResolveStats {
    const stats: ResolveStats = { walked: false, readlinks: 0, processes: 0, denied: 0 };
    // forEach rather than for-of: no iterator result per inode per poll (16k inodes every 2 s).
    this.#owner.forEach((_pid, ino) => { if (!live.has(ino)) this.#owner.delete(ino); });
    this.#unplaceable.forEach((ino) => { if (!live.has(ino)) this.#unplaceable.delete(ino); });
    let unknown = false;
    live.forEach((ino) => { if (!unknown && ino !== 0 && !this.#owner.has(ino) && !this.#unplaceable.has(ino)) unknown = true; });
    if (!unknown) return stats;
    stats.walked = true;
    const seenPids = new Set<number>();
    let pids: string[];
    try { pids = this.#os.listDir('/proc'); } catch { return stats; }
    for (const p of pids) {
      const c = p.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const pid = Number(p);
      let fds: string[];
      try { fds = this.#os.listDir(`/proc/${p}/fd`); } catch { stats.denied++; continue; }
      stats.processes++;
      seenPids.add(pid);
      let cache = this.#fdCache.get(pid);
      if (!cache) this.#fdCache.set(pid, (cache = new Map()));
      for (let i = 0; i < fds.length; i++) {
        const fd = Number(fds[i]);
        const cached = cache.get(fd);
        // An fd still pointing at a live socket we already placed is unchanged; skip its readlink.
        if (cached !== undefined && live.has(cached) && this.#owner.has(cached)) continue;
        let link: string;
        try { link = this.#os.readLink(`/proc/${p}/fd/${fds[i]}`); } catch { cache.delete(fd); continue; }
        stats.readlinks++;
        const ino = socketInode(link) ?? -1;
        cache.set(fd, ino);
        if (ino >= 0 && live.has(ino) && !this.#owner.has(ino)) this.#owner.set(ino, pid);
      }
      // Every listed fd is now cached, so a larger cache holds fds since closed: drop those.
      if (cache.size > fds.length) {
        const open = new Set(fds.map(Number));
        cache.forEach((_ino, fd) => { if (!open.has(fd)) cache.delete(fd); });
      }
    }
    this.#fdCache.forEach((_fds, pid) => { if (!seenPids.has(pid)) this.#fdCache.delete(pid); });
    live.forEach((ino) => { if (ino !== 0 && !this.#owner.has(ino)) this.#unplaceable.add(ino); });
    this.#denied = stats.denied;
    return stats;
  }

  owner(inode: number): number | undefined { return this.#owner.get(inode); }

  /** Name, parent and exe of a pid, cached until the pid is reused; undefined once it has exited. */
  process(pid: number): ProcInfo | undefined {
    let stat: { ppid: number; start: number } | undefined;
    try { stat = parseProcStat(this.#os.readText(`/proc/${pid}/stat`)); } catch { this.#procs.delete(pid); return undefined; }
    if (!stat) return undefined;
    const cached = this.#procs.get(pid);
    if (cached && cached.start === stat.start) return cached;
    let name = `pid ${pid}`;
    try { name = this.#os.readText(`/proc/${pid}/comm`).trim() || name; } catch { /* exited meanwhile */ }
    // Node ≥ 24 names its main thread "MainThread", which is what comm shows for every Node program;
    // argv[0] ("node", or an app's own binary) says more.
    if (name.length >= 15 || name === 'MainThread') {
      try {
        const argv0 = this.#os.readText(`/proc/${pid}/cmdline`).split('\0')[0] ?? '';
        const base = argv0.split('/').pop() ?? '';
        if (base && (base.startsWith(name) || name === 'MainThread')) name = base;
      } catch { /* keep comm */ }
    }
    let exe: string | null = null;
    try { exe = this.#os.readLink(`/proc/${pid}/exe`); } catch { /* other user's process */ }
    const info: ProcInfo = { pid, name, ppid: stat.ppid, exe, start: stat.start };
    this.#procs.set(pid, info);
    return info;
  }

  /**
   * The process that stands for the application `pid` belongs to: the highest ancestor running the
   * same executable (browser renderers, Electron helpers, Firefox content processes).
   */
  appRoot(pid: number): ProcInfo | undefined {
    const me = this.process(pid);
    if (!me) return undefined;
    let top = me;
    for (let hops = 0; hops < 32 && top.exe; hops++) {
      const parent = top.ppid > 1 ? this.process(top.ppid) : undefined;
      if (!parent || parent.exe !== me.exe) break;
      top = parent;
    }
    return top;
  }

  /** Whether `ancestor` is `pid` or one of its ancestors (32 hops at most). */
  descendsFrom(pid: number, ancestor: number): boolean {
    let p: ProcInfo | undefined = this.process(pid);
    for (let hops = 0; p && hops < 32; hops++) {
      if (p.pid === ancestor) return true;
      p = p.ppid > 1 ? this.process(p.ppid) : undefined;
    }
    return false;
  }
}

/**
 * How /proc hides other users' processes: the hidepid option of the last (topmost) /proc mount, or null
 * when it hides nothing. With hidepid=2 ("invisible") their /proc/<pid> do not exist for us at all, so
 * the walk is not refused anything, yet their sockets find no owner.
 * `/proc/self/mountinfo` sample: `65 46 0:39 / /proc rw,relatime - proc proc rw,hidepid=invisible`
 */
export function procHidepid(mountinfo: string): string | null {
  let opt: string | null = null;
  for (const line of mountinfo.split('\n')) {
    const f = line.split(' ');
    if (f[4] !== '/proc') continue;
    const sep = f.indexOf('-');
    if (sep < 0 || f[sep + 1] !== 'proc') continue;
    opt = /(?:^|,)hidepid=([^,]+)/.exec(f[sep + 3] ?? '')?.[1] ?? null;
  }
  return opt === null || opt === '0' || opt === 'off' ? null : opt;
}

/** Effective uid from `/proc/self/status`, sample line: `Uid:	65534	65534	65534	65534` (real, effective, saved, fs). */
export function effectiveUid(status: string): number | null {
  const m = /^Uid:\s+\d+\s+(\d+)/m.exec(status);
  return m ? Number(m[1]) : null;
}
