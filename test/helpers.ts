// Test helpers: fixtures are real captured output (see test/fixtures/README.md for their sources).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const fixture = (platform: 'linux' | 'darwin', name: string): string =>
  fs.readFileSync(path.join(ROOT, 'test', 'fixtures', platform, name), 'utf8');
export const fixtureNames = (platform: 'linux' | 'darwin'): string[] =>
  fs.readdirSync(path.join(ROOT, 'test', 'fixtures', platform)).filter((f) => f.endsWith('.txt'));
/** The skip reason when this machine cannot make network namespaces: the first line of what `ip` said. */
export const noNamespaces = (e: unknown): string => `cannot create network namespaces here: ${(e as Error).message.split('\n')[0]}`;

/**
 * Why an unprivileged user cannot run this checkout's engine (null when it can). A clone under a 0700
 * home folder (what Debian 12's adduser makes) is closed to everyone else: forking the engine as that
 * user then fails with EACCES. Asked of the kernel as that user, not guessed from mode bits.
 */
export function unprivilegedProblem(uid = 65534, gid = 65534): string | null {
  const entry = path.join(ROOT, 'electron', 'collector', 'main.ts');
  const can = (test: string, p: string) => spawnSync('test', [test, p], { uid, gid }).status === 0;
  if (can('-x', process.execPath) && can('-r', entry)) return null;
  let closed = ROOT;
  for (let d = ROOT; d !== path.dirname(d); d = path.dirname(d)) if (!can('-x', d)) closed = d;
  return `uid ${uid} cannot enter ${closed} (mode ${(fs.statSync(closed).mode & 0o777).toString(8)}), so it cannot run the engine from this checkout: clone where other users may enter (e.g. /tmp), or chmod o+x ${closed}`;
}
