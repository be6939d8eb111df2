// Local disks on macOS from `mount`: which device is mounted where, with which file system. Usage comes
// from statfs(2) on each mount point (darwin/index.ts); per-disk I/O counters are not read (iostat).
import type { Mount } from '../sources.ts';

/**
 * Sample: `/dev/disk1s4 on /private/var/vm (apfs, local, noexec, journaled, noatime, nobrowse)`
 * Keeps local `/dev/` devices the user sees: `nobrowse` volumes (VM swap, Recovery, Preboot) are hidden
 * by Finder too, except the APFS data volume (`/System/Volumes/Data`, where the user's files are).
 * Mount points may contain spaces (`/Volumes/My Disk`).
 */
export function parseDarwinMount(text: string): Mount[] {
  const out: Mount[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const m = line.match(/^(\S.*?) on (\/.*?) \(([^,()]+)((?:, [^,()]+)*)\)$/);
    if (!m) continue;
    const [, device, mount, fsType, rest] = m as unknown as [string, string, string, string, string];
    const opts = rest.split(', ').map((o) => o.trim());
    if (!device.startsWith('/dev/') || !opts.includes('local')) continue;
    if (opts.includes('nobrowse') && mount !== '/System/Volumes/Data') continue;
    if (seen.has(device)) continue;
    seen.add(device);
    out.push({ device, mount, fsType });
  }
  return out;
}
