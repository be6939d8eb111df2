// Splits pcap files into one fuzz seed per packet: byte 0 names the link type (the index into
// fuzz-capture.c's dlts[]), the rest is the frame. Usage: node pcap-seeds.js OUT_DIR FILE.pcap...
import fs from 'node:fs';
import path from 'node:path';

const DLTS = [1, 113, 276, 0, 12, 101, 108, 228, 229, 258, 149];
const [out, ...files] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
let n = 0;
for (const file of files) {
  const b = fs.readFileSync(file);
  const magic = b.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && b.readUInt32BE(0) !== 0xa1b2c3d4 && b.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`${file}: not a pcap file`);
  const u32 = (o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const index = DLTS.indexOf(u32(20) & 0xffff);
  if (index < 0) throw new Error(`${file}: link type ${u32(20)} not fuzzed`);
  for (let o = 24; o + 16 <= b.length;) {
    const cap = u32(o + 8);
    const frame = b.subarray(o + 16, o + 16 + cap);
    fs.writeFileSync(path.join(out, `${path.basename(file, '.pcap')}-${n++}`), Buffer.concat([Buffer.from([index]), frame]));
    o += 16 + cap;
  }
}
console.log(`${n} seeds from ${files.length} files`);
