// A minimal DNS server for a test network namespace: answers every query with NXDOMAIN
// (RCODE 3), which is enough for an RTT probe. argv: address port.
import dgram from 'node:dgram';

const [address, port] = [process.argv[2]!, Number(process.argv[3])];
const sock = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
sock.on('message', (q, rinfo) => {
  if (q.length < 12) return;
  const r = Buffer.from(q);
  r[2] = 0x80 | (q[2]! & 0x01); // QR=1, keep RD
  r[3] = 0x80 | 0x03; // RA=1, RCODE=NXDOMAIN
  r.writeUInt16BE(0, 6); r.writeUInt16BE(0, 8); r.writeUInt16BE(0, 10);
  sock.send(r, rinfo.port, rinfo.address);
});
sock.bind(port, address, () => console.log('ready'));
setTimeout(() => process.exit(0), 60_000).unref();
process.on('SIGTERM', () => process.exit(0));
