// Connection quality per process and per app, from the kernel's own per-socket TCP figures (tcp_info):
// smoothed RTT and retransmitted / sent segments. No peer (stats, GlassWire, nethogs) shows this.
import { QUALITY_POOR_RETRANSMIT_PCT, QUALITY_MIN_SEGMENTS, QUALITY_SLOW_RTT_MS, type ConnectionQuality } from '../../../shared/index.ts';
import type { SocketSample } from '../sockets.ts';

/** What one process's (or app's) established external TCP sockets say, summed over one poll. */
export class QualityAcc {
  /** Smoothed RTT of each socket in microseconds. */
  rttsUs: number[] = [];
  retrans = 0;
  segsOut = 0;
  /** Sockets whose segs_out is known (retransmit % is only over those). */
  counted = 0;

  /**
   * Loopback sockets are left out by the caller: their RTT (tens of µs) says nothing about the network
   * and would pull an app's p50 towards zero. Sockets that have not sent a segment have no RTT yet.
   */
  add(s: SocketSample): void {
    if (s.protocol !== 'tcp' || s.state !== 'ESTAB' || s.rttUs === null) return;
    this.rttsUs.push(s.rttUs);
    if (s.segsOut !== null && s.retrans !== null) { this.retrans += s.retrans; this.segsOut += s.segsOut; this.counted++; }
  }

  merge(o: QualityAcc): void {
    for (const r of o.rttsUs) this.rttsUs.push(r);
    this.retrans += o.retrans; this.segsOut += o.segsOut; this.counted += o.counted;
  }

  summary(): ConnectionQuality | null {
    if (this.rttsUs.length === 0) return null;
    const sorted = Float64Array.from(this.rttsUs).sort();
    const rttP50Ms = nearestRank(sorted, 0.5) / 1000, rttP95Ms = nearestRank(sorted, 0.95) / 1000;
    // Over the sockets' lives, as `ss -ti` shows retrans/segs_out: a connection that lost 5 % of what
    // it sent is flagged while it lives, not only in the poll where the loss happened.
    const retransmitPct = this.counted > 0 && this.segsOut > 0 ? Math.min(100, (this.retrans / this.segsOut) * 100) : null;
    return { sockets: this.rttsUs.length, rttP50Ms, rttP95Ms, retransmitPct, segmentsSent: this.segsOut, poor: verdict(rttP95Ms, retransmitPct, this.segsOut) };
  }
}

/** Nearest-rank percentile of sorted values (p in 0–1): an observed value, never an interpolation. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** Why a connection is poor, in words for the UI; null when it is not. */
export function verdict(rttP95Ms: number, retransmitPct: number | null, segsOut: number): string | null {
  if (retransmitPct !== null && segsOut >= QUALITY_MIN_SEGMENTS && retransmitPct >= QUALITY_POOR_RETRANSMIT_PCT) {
    return `${retransmitPct.toFixed(1)} % of segments retransmitted`;
  }
  if (rttP95Ms >= QUALITY_SLOW_RTT_MS) return `slow: p95 round trip ${Math.round(rttP95Ms)} ms`;
  return null;
}
