// What the intelligence tier is fed: connection attempts, DNS messages and interface rates. Every source
// gives the same events — the capture helper's reports (eventsOfReport), a replayed recording (one JSON
// event per line, parseEventLine), later a pcap file or eBPF — so the detectors never know which.
// Times are ms since the epoch (the engine's clock), rates bytes/s.
import { isIP } from 'node:net';
import type { CaptureReport, DnsMessage, HandshakeOutcome } from '../../capture.ts';
import type { SocketSample } from '../../sockets.ts';

/** The app that owns the local socket, when a source knows it (AppUsage.id and name). */
export interface EventApp { id: string; name: string }

/** A connection attempt whose outcome is known: `src` sent the first packet (for TCP, the SYN). */
export interface ConnectEvent {
  kind: 'connect';
  /** When the attempt started, ms. */
  ts: number;
  proto: 'tcp' | 'udp';
  src: string; srcPort: number; dst: string; dstPort: number;
  outcome: HandshakeOutcome;
  /** SYN → SYN-ACK, ms; null unless ok. */
  connectMs: number | null;
  app?: EventApp;
}

/** A DNS query or response, as the capture decoded it (capture.ts), stamped in ms. */
export interface DnsEvent { kind: 'dns'; ts: number; msg: DnsMessage; app?: EventApp }

/** An interface's rates over the last sample (bytes/s), for detectors that look at volume. */
export interface RateEvent { kind: 'rate'; ts: number; interface: string; rxBps: number; txBps: number }

export type IntelEvent = ConnectEvent | DnsEvent | RateEvent;

/** Events of one capture report, oldest first (handshakes and DNS messages each come in time order). */
export function eventsOfReport(r: Pick<CaptureReport, 'handshakes' | 'dns'>): IntelEvent[] {
  const out: IntelEvent[] = [];
  for (const h of r.handshakes) {
    out.push({
      kind: 'connect', ts: h.synUs / 1000, proto: 'tcp', src: h.src, srcPort: h.srcPort, dst: h.dst, dstPort: h.dstPort,
      outcome: h.outcome, connectMs: h.connectUs === null ? null : h.connectUs / 1000,
    });
  }
  for (const m of r.dns) out.push({ kind: 'dns', ts: m.atUs / 1000, msg: m });
  return out.sort((a, b) => a.ts - b.ts);
}

/**
 * A connection attempt from the unprivileged source (socket-attempts.ts: a socket born in a poll or
 * ended in a destroy event): its local end connected; `ts` is when the outcome became known, not the
 * SYN (a refusal comes within ms, a timeout seconds later). Only attempts from this machine are seen.
 */
export function eventOfSocket(outcome: HandshakeOutcome, app: EventApp | null, s: SocketSample, ts: number): ConnectEvent | null {
  if (s.remoteIp === null || !s.remotePort) return null;
  return {
    kind: 'connect', ts, proto: 'tcp', src: s.localIp, srcPort: s.localPort, dst: s.remoteIp, dstPort: s.remotePort,
    outcome, connectMs: null, ...(app ? { app } : {}),
  };
}

/** One event as a recording line (JSON, no newline inside). */
export const eventLine = (e: IntelEvent): string => JSON.stringify(e);

export type ParsedLine = { ok: true; event: IntelEvent } | { ok: false; reason: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;
const isAddr = (v: unknown): v is string => typeof v === 'string' && isIP(v) !== 0;
const isRate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isApp = (v: unknown) => v === undefined || (isObj(v) && typeof v.id === 'string' && typeof v.name === 'string');

function dnsOk(m: unknown): m is DnsMessage {
  if (!isObj(m)) return false;
  return isTs(m.atUs) && (m.proto === 'udp' || m.proto === 'tcp') && isAddr(m.src) && isPort(m.srcPort) && isAddr(m.dst) && isPort(m.dstPort)
    && isPort(m.id) && typeof m.response === 'boolean' && Number.isInteger(m.opcode) && Number.isInteger(m.rcode) && isPort(m.qtype)
    && (m.qname === null || (typeof m.qname === 'string' && m.qname.length <= 1024)) && isPort(m.answerCount)
    && Array.isArray(m.answers) && m.answers.every(isAddr) && typeof m.malformed === 'boolean';
}

/**
 * One line of a recording. Samples:
 * `{"kind":"connect","ts":1796123900472.444,"proto":"tcp","src":"10.213.50.2","srcPort":57080,"dst":"10.213.50.1","dstPort":7,"outcome":"refused","connectMs":null}`
 * `{"kind":"dns","ts":1796123872064.611,"msg":{"atUs":1796123872064611,"proto":"udp","src":"10.213.50.2","srcPort":56961,"dst":"10.213.50.1","dstPort":53,"id":10187,"response":false,"opcode":0,"rcode":0,"qtype":1,"qname":"nope.nw.test","answerCount":0,"answers":[],"malformed":false}}`
 * `{"kind":"rate","ts":1796123873000,"interface":"eth0","rxBps":40000000,"txBps":120000}`
 */
export function parseEventLine(line: string): ParsedLine {
  let v: unknown;
  try { v = JSON.parse(line); } catch (e) { return { ok: false, reason: `not JSON: ${(e as Error).message}` }; }
  if (!isObj(v) || !isTs(v.ts)) return { ok: false, reason: 'not an event: needs kind and ts (ms)' };
  if (!isApp(v.app)) return { ok: false, reason: 'app must be {id, name}' };
  switch (v.kind) {
    case 'connect': {
      const ok = (v.proto === 'tcp' || v.proto === 'udp') && isAddr(v.src) && isPort(v.srcPort) && isAddr(v.dst) && isPort(v.dstPort)
        && (v.outcome === 'ok' || v.outcome === 'refused' || v.outcome === 'timeout') && (v.connectMs === null || isRate(v.connectMs));
      return ok ? { ok: true, event: v as unknown as ConnectEvent } : { ok: false, reason: 'connect event: bad proto, address, port, outcome or connectMs' };
    }
    case 'dns': return dnsOk(v.msg) ? { ok: true, event: v as unknown as DnsEvent } : { ok: false, reason: 'dns event: bad message' };
    case 'rate': {
      const ok = typeof v.interface === 'string' && v.interface.length > 0 && isRate(v.rxBps) && isRate(v.txBps);
      return ok ? { ok: true, event: v as unknown as RateEvent } : { ok: false, reason: 'rate event: bad interface or rate' };
    }
    default: return { ok: false, reason: `unknown event kind ${JSON.stringify(v.kind)}` };
  }
}

/** Every event of a recording, in file order; bad lines are counted with the first reason, not fatal. */
export function parseRecording(text: string): { events: IntelEvent[]; bad: number; firstError: string | null } {
  const events: IntelEvent[] = [];
  let bad = 0, firstError: string | null = null;
  text.split('\n').forEach((l, i) => {
    if (l.trim() === '') return;
    const p = parseEventLine(l);
    if (p.ok) events.push(p.event);
    else { bad++; firstError ??= `line ${i + 1}: ${p.reason}`; }
  });
  return { events, bad, firstError };
}
