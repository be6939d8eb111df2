// Writes build/trayLinux.png and build/trayLinux@2x.png: the Linux tray icon. The macOS icon is a black
// template image the menu bar recolours; Linux panels take the image as it is, and a black glyph
// disappears on the dark panels most desktops ship with. This one is a blue rounded square with white
// arrows, readable on dark and light panels alike. Drawn here (no image tool in the build): coverage
// by 4×4 supersampling, encoded as an RGBA PNG with node:zlib.
//   node scripts/tray-icons.ts
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BLUE = [0x25, 0x63, 0xeb] as const;

/** Inside test in a 0..1 square: the rounded square (r 0.22), and two arrows (↓ left, ↑ right). */
function shape(x: number, y: number): 'bg' | 'fg' | 'none' {
  const r = 0.22;
  const cx = Math.min(Math.max(x, r), 1 - r), cy = Math.min(Math.max(y, r), 1 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return 'none';
  const arrow = (ax: number, down: boolean): boolean => {
    const tipY = down ? 0.82 : 0.18, baseY = down ? 0.56 : 0.44;
    const shaft = Math.abs(x - ax) < 0.07 && (down ? y > 0.18 && y < baseY : y < 0.82 && y > baseY);
    const t = down ? (y - baseY) / (tipY - baseY) : (baseY - y) / (baseY - tipY);
    const head = t >= 0 && t <= 1 && Math.abs(x - ax) < 0.17 * (1 - t);
    return shaft || head;
  };
  return arrow(0.34, true) || arrow(0.66, false) ? 'fg' : 'bg';
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) { c ^= b; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)); }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function trayPng(size: number): Buffer {
  const S = 4, raw = Buffer.alloc(size * (size * 4 + 1));
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let bg = 0, fg = 0;
      for (let sy = 0; sy < S; sy++) for (let sx = 0; sx < S; sx++) {
        const k = shape((px + (sx + 0.5) / S) / size, (py + (sy + 0.5) / S) / size);
        if (k === 'bg') bg++; else if (k === 'fg') fg++;
      }
      const a = (bg + fg) / (S * S), w = fg / Math.max(1, bg + fg);
      const o = py * (size * 4 + 1) + 1 + px * 4;
      for (let i = 0; i < 3; i++) raw[o + i] = Math.round(BLUE[i]! * (1 - w) + 255 * w);
      raw[o + 3] = Math.round(a * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // 22 px is the StatusNotifierItem size most panels draw; @2x for HiDPI.
  fs.writeFileSync(path.join(root, 'build', 'trayLinux.png'), trayPng(22));
  fs.writeFileSync(path.join(root, 'build', 'trayLinux@2x.png'), trayPng(44));
  console.log('wrote build/trayLinux.png, build/trayLinux@2x.png');
}
