// Steady TCP traffic between the lab's namespaces (never off the machine).
// argv: server HOST PORT  |  client HOST PORT BYTES_PER_SEC. Prints "ready" once listening/connected.
import net from 'node:net';

const [mode, host, port, rate] = process.argv.slice(2);
if (mode === 'server') {
  net.createServer((c) => { c.resume(); c.on('error', () => {}); }).listen(Number(port), host, () => console.log('ready'));
} else {
  const sock = net.connect(Number(port), host!, () => {
    console.log('ready');
    const t0 = performance.now();
    let sent = 0;
    setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * Number(rate)) - sent;
      if (due > 0) { sock.write(Buffer.alloc(due, 120)); sent += due; }
    }, 10);
  });
  sock.on('error', (e) => { console.error(e.message); process.exit(1); });
}
