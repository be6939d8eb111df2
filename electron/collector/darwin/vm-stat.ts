// macOS memory: `vm_stat` (page counts; the page size is in its header: 4096 on Intel, 16384 on
// Apple Silicon) and `sysctl -n vm.swapusage`.

/**
 * Sample:
 * `Mach Virtual Memory Statistics: (page size of 16384 bytes)`
 * `Pages free:                              264375.`
 * Returns the page size and every "Pages …" / named count, in pages.
 */
export function parseVmStat(text: string): { pageSize: number; pages: Map<string, number> } | undefined {
  const size = /page size of (\d+) bytes/.exec(text);
  if (!size) return undefined;
  const pages = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^"?([A-Za-z][A-Za-z -]*?)"?:\s+(\d+)\.?\s*$/.exec(line.trim());
    if (m) pages.set(m[1]!, Number(m[2]));
  }
  return { pageSize: Number(size[1]), pages };
}

/**
 * Memory the way Activity Monitor counts "available": free, inactive and speculative pages can be had
 * without swapping; the rest (active, wired, compressor) is in use. Bytes.
 */
export function memoryFromVmStat(v: { pageSize: number; pages: Map<string, number> }, totalBytes: number) {
  const p = (k: string) => v.pages.get(k) ?? 0;
  const available = Math.min(totalBytes, (p('Pages free') + p('Pages inactive') + p('Pages speculative')) * v.pageSize);
  return { totalBytes, availableBytes: available, usedBytes: Math.max(0, totalBytes - available) };
}

const UNIT: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** Sample: `vm.swapusage: total = 3072.00M  used = 2513.50M  free = 558.50M  (encrypted)` → bytes. */
export function parseSwapUsage(text: string): { totalBytes: number; usedBytes: number } | undefined {
  const v = (k: string) => {
    const m = new RegExp(`${k} = ([\\d.]+)([KMG])`).exec(text);
    return m ? Math.round(Number(m[1]) * UNIT[m[2]!]!) : undefined;
  };
  const total = v('total'), used = v('used');
  if (total === undefined || used === undefined || !Number.isFinite(total) || !Number.isFinite(used)) return undefined;
  return { totalBytes: total, usedBytes: Math.min(used, total) };
}
