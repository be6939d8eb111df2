// /proc/stat CPU lines and /proc/meminfo.
import type { CpuTimes } from '../sources.ts';

/**
 * Sample: `cpu  1089 0 1316 211453 53 0 25 0 0 0` then `cpu0 …`, `cpu1 …`
 * fields: user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
 */
export function parseProcStatCpu(text: string): { all: CpuTimes; cores: CpuTimes[] } | undefined {
  let all: CpuTimes | undefined;
  const cores: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [name, ...rest] = line.trim().split(/\s+/);
    const f = rest.slice(0, 8).map(Number);
    if (f.length < 4 || f.some((n) => !Number.isFinite(n) || n < 0)) continue;
    const idle = f[3]! + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    const t = { busy: total - idle, total };
    if (name === 'cpu') all = t;
    else cores.push(t);
  }
  return all ? { all, cores } : undefined;
}

/** Sample: `MemTotal:       24552080 kB` … values in kB, returned in bytes. */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]) * (line.trimEnd().endsWith('kB') ? 1024 : 1));
  }
  return out;
}
