// macOS `nettop`: cumulative bytes per process (`name.pid` rows) and, when flows are shown, per
// connection. Three layouts occur: CSV with `-L 1`, CSV with a time column and flow rows, and the
// columnar `-x` layout with right-aligned numbers. nettop cuts process names (`Microsoft Outlo.793`).

export interface NettopProcess { name: string; pid: number; bytesIn: number; bytesOut: number }
export interface NettopFlow {
  proto: string; local: string; remote: string; interface: string | null;
  bytesIn: number; bytesOut: number; rttMs: number | null;
  /** The process row the flow was listed under. */
  pid: number | null;
}

/** `name.pid` → parts; names may hold dots and spaces (`com.apple.WebKi.1297`, `Microsoft Edge .772`). */
export function splitNamePid(s: string): { name: string; pid: number } | undefined {
  const m = /^(.*)\.(\d+)$/.exec(s.trim());
  if (!m || !m[1]) return undefined;
  const pid = Number(m[2]);
  return pid > 0 && Number.isSafeInteger(pid) ? { name: m[1].trimEnd(), pid } : undefined;
}

const count = (s: string | undefined): number | null => {
  if (s === undefined || !/^\d+$/.test(s.trim())) return null;
  const n = Number(s.trim());
  return Number.isSafeInteger(n) ? n : null;
};

/**
 * Samples:
 * CSV, `nettop -P -L 1 -J bytes_in,bytes_out`:  `,bytes_in,bytes_out,` / `apsd.533,11417,23504,`
 * CSV with flows: `time,,interface,state,bytes_in,bytes_out,…,rtt_avg,…` / `18:18:38.329277,udp4 192.168.3.37:62457<->*:*,en0,,32286682,19508471,…`
 * columnar, `nettop -P -x -J …`: `apsd.400                                    614599         1948904`
 */
export function parseNettop(text: string): { processes: NettopProcess[]; flows: NettopFlow[] } {
  const lines = text.split('\n').filter((l) => l.trim());
  const processes: NettopProcess[] = [];
  const flows: NettopFlow[] = [];
  const header = lines.findIndex((l) => /bytes_in/.test(l) && /bytes_out/.test(l));
  if (header < 0) return { processes, flows };
  const head = lines[header]!;
  if (head.includes(',')) {
    const cols = head.split(',');
    const nameCol = cols.findIndex((c) => c.trim() === '');
    const iIn = cols.indexOf('bytes_in'), iOut = cols.indexOf('bytes_out');
    const iIf = cols.indexOf('interface'), iRtt = cols.indexOf('rtt_avg');
    let owner: number | null = null;
    for (const line of lines.slice(header + 1)) {
      const f = line.split(',');
      const label = f[nameCol] ?? '';
      const bytesIn = count(f[iIn]), bytesOut = count(f[iOut]);
      if (bytesIn === null || bytesOut === null) continue;
      const flow = /^(tcp[46]|udp[46]) (\S+)<->(\S+)$/.exec(label.trim());
      if (flow) {
        const rtt = iRtt >= 0 ? /^([\d.]+) ms$/.exec((f[iRtt] ?? '').trim()) : null;
        flows.push({ proto: flow[1]!, local: flow[2]!, remote: flow[3]!, interface: iIf >= 0 && f[iIf] ? f[iIf]!.trim() : null, bytesIn, bytesOut, rttMs: rtt ? Number(rtt[1]) : null, pid: owner });
        continue;
      }
      const np = splitNamePid(label);
      if (!np) continue;
      owner = np.pid;
      processes.push({ ...np, bytesIn, bytesOut });
    }
    return { processes, flows };
  }
  for (const line of lines.slice(header + 1)) {
    // name.pid, an optional interface column, then the two right-aligned counters.
    const m = /^(.+?\.\d+)\s+(?:([a-z]+\d+)\s+)?(\d+)\s+(\d+)\s*$/.exec(line.trim());
    const np = m && splitNamePid(m[1]!);
    const bytesIn = count(m?.[3]), bytesOut = count(m?.[4]);
    if (np && bytesIn !== null && bytesOut !== null) processes.push({ ...np, bytesIn, bytesOut });
  }
  return { processes, flows };
}
