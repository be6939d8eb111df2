// Which application a process is, named the way a person knows it. Pure: the platform sources hand
// in what they read (executable path, argv, the desktop entry that matches) and get an identity.
//
// The id is stable across runs and pids — the executable path, plus the script or module for
// interpreters (two `node` programs are two apps) — so history and "new application" alerts can key
// on it. Never the pid.
import type { AppIdentity } from '../../shared/index.ts';

/** Interpreters whose own name says nothing: they are named by what they run. */
const INTERPRETER = /^(node|nodejs|bun|deno|python(\d(\.\d+)?)?|pypy\d?|ruby\d?(\.\d+)?|perl(\d(\.\d+)*)?|php(\d(\.\d+)?)?|java|bash|sh|dash|zsh|fish|ksh)$/;

/** Options that take a value, per interpreter family, so the value is not taken for the script. */
const VALUE_OPTS: Record<string, Set<string>> = {
  node: new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--conditions', '-C', '--env-file', '--title', '--inspect-port']),
  python: new Set(['-W', '-X', '--check-hash-based-pycs']),
  java: new Set(['-cp', '-classpath', '--class-path', '-p', '--module-path', '--add-modules', '--add-opens', '--add-exports']),
  ruby: new Set(['-I', '-r', '-E', '-C']),
  perl: new Set(['-I', '-M', '-m']),
  shell: new Set(['-o', '+o', '-O', '+O']),
};

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** `python3`, `/usr/bin/node`: an interpreter, named by what it runs rather than by itself. */
export const isInterpreter = (program: string): boolean => INTERPRETER.test(base(program));

function family(interp: string): keyof typeof VALUE_OPTS {
  if (/^(node|nodejs|bun|deno)$/.test(interp)) return 'node';
  if (/^(python|pypy)/.test(interp)) return 'python';
  if (interp === 'java') return 'java';
  if (interp.startsWith('ruby')) return 'ruby';
  if (interp.startsWith('perl') || interp.startsWith('php')) return 'perl';
  return 'shell';
}

/**
 * What an interpreter runs, as a short label and the part that belongs in the id:
 * `node /srv/api/server.js` → `server.js`; `python3 -m http.server 8000` → `-m http.server`;
 * `java -jar /opt/app.jar` → `-jar app.jar`; `node -e '…'` → `-e`. Null when argv has nothing after
 * the options (an interactive REPL).
 */
export function interpreterTarget(interp: string, args: readonly string[]): { label: string; key: string } | null {
  const takes = VALUE_OPTS[family(interp)]!;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '') continue;
    if (a === '--') { const s = args[i + 1]; return s ? { label: base(s), key: s } : null; }
    if ((a === '-m' && family(interp) === 'python') || (a === '-jar' && interp === 'java')) {
      const v = args[i + 1];
      return v ? { label: `${a} ${base(v)}`, key: `${a} ${v}` } : null;
    }
    if (a === '-c' || a === '-e' || a === '--eval' || (a === '-p' && family(interp) === 'node')) return { label: a, key: a };
    if (a.startsWith('-') || a.startsWith('+')) {
      if (takes.has(a)) i++;
      continue;
    }
    // java's first operand is the main class; everyone else's is the script.
    return { label: base(a), key: a };
  }
  return null;
}

/**
 * macOS: the outermost `.app` bundle on the executable's path, so a helper inside
 * `Google Chrome.app/Contents/Frameworks/…/Google Chrome Helper.app/…` is "Google Chrome".
 */
export function bundleName(exe: string): string | null {
  const m = exe.match(/^(?:.*?\/)?([^/]+)\.app\//);
  return m ? m[1]! : null;
}

export interface IdentityInput {
  /** Absolute executable path (Linux /proc/<pid>/exe, macOS ps comm), null when unreadable. */
  exe: string | null;
  /** The process's argv (Linux /proc/<pid>/cmdline), empty when unreadable. */
  argv: readonly string[];
  /** The short name the source gave (comm, nettop's name). */
  name: string;
  /** The desktop entry whose Exec runs this executable, where the platform has them. */
  desktop?: { name: string; icon: string | null; file: string } | null;
  /** Part of NetWatch itself (the engine, its host, its helpers). */
  self?: boolean;
}

/** Longest command line kept in the snapshot (characters). */
export const COMMAND_MAX = 300;

export function identify(i: IdentityInput): AppIdentity {
  const command = (i.argv.length ? i.argv.join(' ') : i.exe ?? i.name).slice(0, COMMAND_MAX);
  const exeBase = i.exe ? base(i.exe).replace(/ \(deleted\)$/, '') : null;
  const interp = [exeBase, base(i.argv[0] ?? ''), i.name].find((n): n is string => !!n && INTERPRETER.test(n)) ?? null;
  const where = i.exe ?? `name:${i.name}`;
  let name: string;
  let id = where;
  const target = interp ? interpreterTarget(interp, i.argv.slice(1)) : null;
  if (interp && target) {
    name = `${interp.replace(/^nodejs$/, 'node')} ${target.label}`;
    id = `${where} ${target.key}`;
  } else if (interp) {
    // An interpreter with nothing to run but a name of its own (process.title, a REPL): the name
    // tells programs apart, as the executable cannot.
    name = i.name;
    id = `${where} name:${i.name}`;
  } else if (i.desktop) {
    name = i.desktop.name;
  } else {
    name = (i.exe && bundleName(i.exe)) ?? i.name;
  }
  return { id, name, exe: i.exe, icon: i.desktop?.icon ?? null, command, self: !!i.self };
}
