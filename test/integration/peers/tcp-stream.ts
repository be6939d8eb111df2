// A TCP peer for namespace tests. `listen HOST PORT`: accepts and discards; `send HOST PORT RATE`:
// connects and sends RATE bytes/s until killed. Prints one JSON line once listening or connected.
import net from 'node:net';

const [mode, host, portText, rateText] = process.argv.slice(2);
const port = Number(portText);
if (mode === 'listen') {
  net.createServer((c) => { c.resume(); c.on('error', () => {}); })
    .listen(port, host, () => console.log(JSON.stringify({ listening: port })));
} else {
  const rate = Number(rateText);
  const sock = net.connect(port, host!, () => {
    console.log(JSON.stringify({ connected: sock.localPort }));
    const t0 = performance.now();
    let sent = 0;
    setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate) - sent;
      if (due > 0 && sock.writableLength < 4 * rate) { sock.write(Buffer.alloc(due, 120)); sent += due; }
    }, 10);
  });
  sock.on('error', (e) => { console.error(e.message); process.exit(1); });
}
