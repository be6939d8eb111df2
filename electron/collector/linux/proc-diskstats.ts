// Disks: /proc/self/mounts for real block devices, /proc/diskstats for I/O bytes.
import type { Mount } from '../sources.ts';

const PSEUDO_FS = new Set(['squashfs', 'overlay', 'tmpfs', 'devtmpfs', 'iso9660']);

/** Unescapes mount paths: the kernel writes space as \040, tab \011, newline \012, backslash \134. */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));

/**
 * Sample: `/dev/vda / ext4 rw,relatime 0 0`
 * Keeps the first mount of each real `/dev/` block device (bind mounts repeat it).
 */
export function parseMounts(text: string): Mount[] {
  const seen = new Set<string>();
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const [dev, mnt, fs] = line.split(' ');
    if (!dev || !mnt || !fs || !dev.startsWith('/dev/') || PSEUDO_FS.has(fs) || dev.startsWith('/dev/loop')) continue;
    if (seen.has(dev)) continue;
    seen.add(dev);
    out.push({ device: unescape(dev), mount: unescape(mnt), fsType: fs });
  }
  return out;
}

/**
 * Sample: ` 254       0 vda 10528 2766 686338 3140 6070 6127 373176 4733 0 6524 9007 0 0 0 0 1019 1133`
 * fields 6 and 10 are sectors read / written; a sector here is always 512 bytes.
 */
export function parseDiskstats(text: string): Map<string, { readBytes: number; writtenBytes: number }> {
  const out = new Map<string, { readBytes: number; writtenBytes: number }>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const r = Number(f[5]), w = Number(f[9]);
    if (!Number.isSafeInteger(r) || !Number.isSafeInteger(w) || r < 0 || w < 0) continue;
    out.set(f[2]!, { readBytes: r * 512, writtenBytes: w * 512 });
  }
  return out;
}
