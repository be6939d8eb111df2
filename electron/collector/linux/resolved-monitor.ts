// DNS without packet capture: systemd-resolved's monitor (`io.systemd.Resolve.Monitor`, systemd ≥ 252)
// streams every lookup it answers, over varlink (JSON messages ended by NUL on a Unix socket). The
// socket is root's (mode 0600 as resolved creates it): an unprivileged engine is told so. It sees only
// lookups that go through resolved (its stub 127.0.0.53, NSS, D-Bus): not an app's own DNS to another
// server, and no message ids or timings, so no latency.
import net from 'node:net';
import type { DnsMessage } from '../capture.ts';
import { unavailable, ok, type SourceStatus } from '../../../shared/index.ts';

export const MONITOR_SOCKET = '/run/systemd/resolve/io.systemd.Resolve.Monitor';
/** A message longer than this is not resolved's; the connection is dropped rather than buffered. */
const MAX_MESSAGE = 1 << 20;

/** One lookup as the monitor reports it: the question, the outcome, the A/AAAA answers. */
export interface ResolvedLookup { name: string; qtype: number; rcode: number; answers: string[] }

const STATE_RCODE: Record<string, number> = { success: 0 };

/**
 * One monitor message; null for the `ready` greeting and for anything that is not a lookup. Sample:
 * `{"parameters":{"state":"rcode-failure","rcode":3,"question":[{"class":1,"type":1,"name":"nope.nw.test"}]},"continues":true}`
 */
export function parseMonitorMessage(text: string): ResolvedLookup | null {
  let m: unknown;
  try { m = JSON.parse(text); } catch { return null; }
  const p = (m as { parameters?: Record<string, unknown> } | null)?.parameters;
  if (!p || typeof p.state !== 'string') return null;
  const q = Array.isArray(p.question) ? (p.question[0] as { type?: unknown; name?: unknown } | undefined) : undefined;
  if (!q || typeof q.name !== 'string' || typeof q.type !== 'number' || q.name.length > 1024) return null;
  // rcode-failure carries the server's rcode; other failures (timeout, no-servers…) read as SERVFAIL (2).
  const rcode = typeof p.rcode === 'number' && Number.isInteger(p.rcode) ? p.rcode : STATE_RCODE[p.state] ?? 2;
  const answers: string[] = [];
  for (const a of Array.isArray(p.answer) ? p.answer.slice(0, 64) : []) {
    const addr = (a as { rr?: { address?: unknown } })?.rr?.address;
    if (!Array.isArray(addr) || !addr.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) continue;
    if (addr.length === 4) answers.push(addr.join('.'));
    else if (addr.length === 16) answers.push(ipv6(addr as number[]));
    if (answers.length >= 8) break;
  }
  return { name: q.name, qtype: q.type, rcode, answers };
}

function ipv6(b: number[]): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1); // the WHATWG parser compresses zeros
}

/** A lookup as the query and response the capture would have reported (no ids, no addresses, one time). */
export function asMessages(l: ResolvedLookup, atUs: number): [DnsMessage, DnsMessage] {
  const base = { atUs, proto: 'udp' as const, src: '', srcPort: 0, dst: '', dstPort: 0, id: 0, opcode: 0, qtype: l.qtype, qname: l.name, malformed: false };
  return [
    { ...base, response: false, rcode: 0, answerCount: 0, answers: [] },
    { ...base, response: true, rcode: l.rcode, answerCount: l.answers.length, answers: l.answers },
  ];
}

/** Subscribes to the monitor; `onStatus` says ok once resolved greets us, or why not. */
export function followResolved(onLookup: (l: ResolvedLookup) => void, onStatus: (s: SourceStatus) => void,
  path = MONITOR_SOCKET): { stop(): void } {
  const s = net.connect(path);
  let buf = '';
  s.setEncoding('utf8');
  s.on('connect', () => s.write(JSON.stringify({ method: 'io.systemd.Resolve.Monitor.SubscribeQueryResults', more: true }) + '\0'));
  s.on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\0'); i >= 0; i = buf.indexOf('\0')) {
      const msg = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (/"ready"\s*:\s*true/.test(msg)) { onStatus(ok()); continue; }
      const err = /^\{"error":"([^"]+)"/.exec(msg);
      if (err) { onStatus(unavailable(`systemd-resolved's monitor refused: ${err[1]}`)); s.destroy(); return; }
      const l = parseMonitorMessage(msg);
      if (l) onLookup(l);
    }
    if (buf.length > MAX_MESSAGE) { onStatus(unavailable('systemd-resolved\'s monitor sent an over-long message')); s.destroy(); }
  });
  s.on('error', (e: NodeJS.ErrnoException) => {
    onStatus(unavailable(e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? 'systemd-resolved (≥ 252) is not running: no monitor socket'
      : e.code === 'EACCES' ? `${path} is root's only: DNS lookups are not seen without the capture` : `systemd-resolved's monitor: ${e.message}`));
  });
  return { stop: () => s.destroy() };
}
