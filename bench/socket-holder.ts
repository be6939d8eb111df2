// Opens N loopback TCP connection pairs (2N sockets) in this one process and holds them; prints
// "ready <port>" when all are established. Used by the bench only.
import net from 'node:net';

const pairs = Number(process.argv[2] ?? 500);
const held: net.Socket[] = [];
const server = net.createServer((c) => { held.push(c); c.on('data', () => {}); c.on('error', () => {}); });
server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as net.AddressInfo).port;
  let opened = 0, connected = 0;
  const one = () => {
    if (opened >= pairs) return;
    opened++;
    const c = net.connect(port, '127.0.0.1', () => {
      c.write('x');
      connected++;
      if (connected === pairs) console.log(`ready ${port}`);
      else one();
    });
    c.on('error', (e) => { console.error(e.message); process.exit(1); });
    held.push(c);
  };
  for (let i = 0; i < Math.min(64, pairs); i++) one();
});
// A trickle of traffic so rates and deltas are exercised (a few sockets each second).
setInterval(() => { for (let i = 0; i < 8 && held.length; i++) held[Math.floor(Math.random() * held.length)]!.write('ping'); }, 1000);
// Reset instead of closing, so the bench leaves no TIME-WAIT sockets behind to skew the next run.
process.on('SIGTERM', () => { for (const c of held) c.resetAndDestroy(); setTimeout(() => process.exit(0), 200); });
