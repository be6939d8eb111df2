// The OS as an injected object (bandwhich's OsInputOutput): sources call these, never `fs` or
// `child_process` directly, so tests can replay captured output and fake the clock.
import { execFile, spawn } from 'node:child_process';
import dns from 'node:dns';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type RunResult =
  | { ok: true; stdout: string }
  /** `not-found` (ENOENT), `permission` (EACCES/EPERM), `timeout`, `exit` (non-zero code) */
  | { ok: false; kind: 'not-found' | 'permission' | 'timeout' | 'exit'; message: string; stdout?: string };

/** A long-running child whose stdout is read line by line (e.g. socket-destroy events). */
export interface LineStream {
  /** Writes to the child's stdin (for helpers that answer requests). */
  write(text: string): void;
  stop(): void;
}

export type DnsResult = { ok: true; rttMs: number } | { ok: false; reason: string };
/** `refused`: the host answered the SYN with a reset, which times a round trip as well as a SYN-ACK. */
export type ConnectResult = { ok: true; rttMs: number; outcome: 'open' | 'refused' } | { ok: false; reason: string };

export interface OsIO {
  /** Runs a program without a shell; never rejects. */
  run(cmd: string, args: readonly string[], opts?: { timeoutMs?: number }): Promise<RunResult>;
  /** Synchronous reads of procfs/sysfs: memory-backed, microseconds each, and the engine owns its loop. */
  readText(path: string): string;
  listDir(path: string): string[];
  readLink(path: string): string;
  statfs(path: string): { totalBytes: number; freeBytes: number; availBytes: number };
  networkInterfaces(): NodeJS.Dict<os.NetworkInterfaceInfo[]>;
  /** Per-core CPU times (ms) and load averages, for platforms without /proc. */
  cpus(): Array<{ times: { user: number; nice: number; sys: number; idle: number; irq: number } }>;
  loadavg(): number[];
  /** Starts a program and hands each stdout line to `onLine`; `onExit` gets stderr's first line. */
  spawnLines(cmd: string, args: readonly string[], onLine: (line: string) => void,
    onExit: (code: number | null, why: string) => void): LineStream;
  /** Times one DNS query to `server`; an answer of "no such name" still counts as the server answering. */
  dnsQuery(server: string, timeoutMs: number): Promise<DnsResult>;
  /** Times one TCP handshake to `host:port` (closed at once); needs no privilege, unlike ICMP. */
  tcpConnect(host: string, port: number, timeoutMs: number): Promise<ConnectResult>;
  /** Epoch ms. */
  now(): number;
  hostname(): string;
  /** The running kernel's machine (`uname -m`: x86_64, aarch64, armv7l…), not this process's arch. */
  machine(): string;
}

/** Describes a failed run in one line, e.g. "ping: not installed". */
export function describeFailure(cmd: string, r: Extract<RunResult, { ok: false }>): string {
  switch (r.kind) {
    case 'not-found': return `${cmd}: not installed`;
    case 'permission': return `${cmd}: permission denied`;
    case 'timeout': return `${cmd}: timed out`;
    case 'exit': return `${cmd}: ${r.message}`;
  }
}

/**
 * Whether a program that failed to start with EACCES is in fact absent. execvp reports EACCES when any
 * PATH directory refused the search (as `nobody`, root's /root/.cargo/bin), even if the program is in
 * none of them: a missing `ping` then read as "permission denied". Absent = not in any directory we may
 * search; one we may not search cannot hold it for us either, since we could not run it from there.
 */
export function absentFromPath(cmd: string, pathVar = process.env['PATH'] ?? ''): boolean {
  if (cmd.includes('/')) return false;
  for (const dir of pathVar.split(':')) {
    try { fs.statSync(path.join(dir || '.', cmd)); return false; } catch { /* not here, or not searchable */ }
  }
  return true;
}

export const nodeOs: OsIO = {
  run(cmd, args, opts = {}) {
    return new Promise((resolve) => {
      execFile(cmd, args, { timeout: opts.timeoutMs ?? 5000, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
        (err, stdout, stderr) => {
          if (!err) return resolve({ ok: true, stdout });
          const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
          if (e.code === 'ENOENT' || (e.code === 'EACCES' && absentFromPath(cmd))) return resolve({ ok: false, kind: 'not-found', message: e.message });
          if (e.code === 'EACCES' || e.code === 'EPERM') return resolve({ ok: false, kind: 'permission', message: e.message });
          if (e.killed) return resolve({ ok: false, kind: 'timeout', message: `killed after ${opts.timeoutMs ?? 5000} ms` });
          const why = String(stderr).trim().split('\n')[0] || `exit code ${String(e.code)}`;
          resolve({ ok: false, kind: 'exit', message: why, stdout: String(stdout) });
        });
    });
  },
  readText: (p) => fs.readFileSync(p, 'utf8'),
  listDir: (p) => fs.readdirSync(p),
  readLink: (p) => fs.readlinkSync(p),
  statfs(p) {
    const s = fs.statfsSync(p);
    return { totalBytes: s.blocks * s.bsize, freeBytes: s.bfree * s.bsize, availBytes: s.bavail * s.bsize };
  },
  networkInterfaces: () => os.networkInterfaces(),
  cpus: () => os.cpus(),
  loadavg: () => os.loadavg(),
  spawnLines(cmd, args, onLine, onExit) {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => { /* the child exited; close reports why */ });
    let buf = '';
    let err = '';
    let done = false;
    const finish = (code: number | null, why: string) => { if (!done) { done = true; onExit(code, why); } };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const lines = (buf + d).split('\n');
      buf = lines.pop()!;
      for (const l of lines) onLine(l);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { if (err.length < 4096) err += d; });
    child.on('error', (e: NodeJS.ErrnoException) => finish(null, e.code === 'ENOENT' || (e.code === 'EACCES' && absentFromPath(cmd)) ? `${cmd}: not installed` : e.message));
    child.on('close', (code) => finish(code, err.trim().split('\n')[0] || `exit code ${code}`));
    return { write: (t) => { if (!done) child.stdin.write(t); }, stop: () => { done = true; child.kill(); } };
  },
  async dnsQuery(server, timeoutMs) {
    const r = new dns.promises.Resolver({ timeout: timeoutMs, tries: 1 });
    r.setServers([server]);
    const t0 = performance.now();
    try {
      await r.resolveSoa('.');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // These codes mean the server answered, just not with what we asked.
      if (code !== 'ENOTFOUND' && code !== 'ENODATA' && code !== 'EREFUSED' && code !== 'ESERVFAIL' && code !== 'ENOTIMP') {
        return { ok: false, reason: code === 'ETIMEOUT' ? 'no answer' : `query failed: ${code ?? String(e)}` };
      }
    }
    return { ok: true, rttMs: performance.now() - t0 };
  },
  tcpConnect(host, port, timeoutMs) {
    return new Promise((resolve) => {
      const t0 = performance.now();
      const sock = net.connect({ host, port });
      const done = (r: ConnectResult) => { clearTimeout(timer); sock.destroy(); resolve(r); };
      const timer = setTimeout(() => done({ ok: false, reason: 'no answer' }), timeoutMs);
      sock.once('connect', () => done({ ok: true, rttMs: performance.now() - t0, outcome: 'open' }));
      sock.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED'
        ? { ok: true, rttMs: performance.now() - t0, outcome: 'refused' }
        : { ok: false, reason: e.code ?? e.message }));
    });
  },
  now: () => Date.now(),
  hostname: () => os.hostname(),
  machine: () => os.machine(),
};
