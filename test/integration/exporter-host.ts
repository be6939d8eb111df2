// Starts `netwatch exporter --port 0 …` as a child and resolves once it prints where it listens.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers.ts';

export const BIN = path.join(ROOT, 'bin', 'netwatch.js');

export interface ExporterChild { child: ChildProcess; metricsUrl: string; port: number; stderr: () => string; stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }> }

export function startExporter(args: string[], env: NodeJS.ProcessEnv = {}, as: { uid?: number; gid?: number } = {}): Promise<ExporterChild> {
  const child = spawn(process.execPath, [BIN, 'exporter', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, ...as });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`netwatch exporter exited with ${code}: ${out}${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/(http:\/\/\S+?:(\d+)\/metrics)/);
      if (!m) return;
      child.removeAllListeners('exit');
      resolve({
        child, metricsUrl: m[1]!, port: Number(m[2]), stderr: () => err,
        stop: (signal = 'SIGTERM') => new Promise((r) => {
          const t0 = performance.now();
          if (child.exitCode !== null || child.signalCode !== null) return r({ code: child.exitCode, ms: 0 });
          child.once('exit', (code) => r({ code, ms: performance.now() - t0 }));
          child.kill(signal);
        }),
      });
    });
  });
}

/** A token file only its owner can read (serve's rule), holding `token`. */
export function tokenFile(token: string): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nw-token-')), 'token');
  fs.writeFileSync(f, `${token}\n`, { mode: 0o600 });
  return f;
}

/** `promtool check metrics` on the text: its exit code and findings. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Where a tool the Prometheus tests need is missing: skipped with the reason, except in CI (which installs it). */
export function toolSkip(cmd: string, pkg: string): string | false {
  if (spawnSync(cmd, ['--version']).status === 0) return false;
  const why = `${cmd} missing (Debian package ${pkg}; .ci/run installs it)`;
  if (process.env['CI']) throw new Error(why);
  return why;
}

/** The child engine pids of a process (the exporter's supervised engine). */
export const childPids = (pid: number): number[] =>
  (spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean).map(Number);
