// /proc/net/snmp: kernel-wide TCP counters (RFC 4022 names).
import type { TcpCounters } from '../sources.ts';

/**
 * Sample (a header row and a value row per protocol):
 * `Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors`
 * `Tcp: 1 200 120000 -1 31 4 0 0 5 3709 2181 0 0 38 0`
 */
export function parseProcNetSnmp(text: string): TcpCounters | undefined {
  const rows = text.split('\n').filter((l) => l.startsWith('Tcp:'));
  if (rows.length < 2) return undefined;
  const keys = rows[0]!.split(/\s+/).slice(1);
  const vals = rows[1]!.split(/\s+/).slice(1).map(Number);
  const get = (k: string): number | undefined => {
    const i = keys.indexOf(k);
    const v = i >= 0 ? vals[i] : undefined;
    return v !== undefined && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  };
  const out = {
    activeOpens: get('ActiveOpens'), passiveOpens: get('PassiveOpens'), attemptFails: get('AttemptFails'),
    estabResets: get('EstabResets'), retransSegs: get('RetransSegs'), outSegs: get('OutSegs'),
    inErrs: get('InErrs'), outRsts: get('OutRsts'),
  };
  if (Object.values(out).some((v) => v === undefined)) return undefined;
  return out as TcpCounters;
}
