// /proc/net/dev: cumulative per-interface counters (64-bit on all current kernels).
import type { InterfaceCounters } from '../../../shared/index.ts';

const FIELDS = 16;

/**
 * Sample (after two header lines):
 * `    lo: 2776770   11307    0    0    0     0          0         0  2776770   11307    0    0    0     0       0          0`
 * rx: bytes packets errs drop fifo frame compressed multicast | tx: bytes packets errs drop fifo colls carrier compressed
 */
export function parseProcNetDev(text: string): Map<string, InterfaceCounters> {
  const out = new Map<string, InterfaceCounters>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (!name || name.includes('|')) continue;
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (f.length < FIELDS || f.some((n) => !Number.isSafeInteger(n) || n < 0)) continue;
    out.set(name, {
      rxBytes: f[0]!, rxPackets: f[1]!, rxErrors: f[2]!, rxDrops: f[3]!,
      txBytes: f[8]!, txPackets: f[9]!, txErrors: f[10]!, txDrops: f[11]!, collisions: f[13]!,
    });
  }
  return out;
}
