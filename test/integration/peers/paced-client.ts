// Sends at a steady rate to a port for a duration, then keeps the connection open (idle).
// argv: port rateBytesPerSec durationMs. Messages: {connected}, {done, sent, startedAt, endedAt}.
import net from 'node:net';

// NWTEST_TITLE: a name no other test on a shared machine uses (the exporter sums apps by name).
process.title = process.env['NWTEST_TITLE'] ?? 'nwtest-client';
const [port, rate, duration] = process.argv.slice(2).map(Number) as [number, number, number];
const sock = net.connect(port, '127.0.0.1', () => {
  process.send!({ connected: true, localPort: sock.localPort });
  process.once('message', () => {
    const t0 = performance.now();
    const startedAt = Date.now();
    let sent = 0;
    // Pace by elapsed time, not by timer ticks, so timer jitter does not change the average rate.
    const tick = setInterval(() => {
      const elapsed = Math.min(performance.now() - t0, duration);
      const due = Math.floor((elapsed / 1000) * rate) - sent;
      if (due > 0) { sock.write(Buffer.alloc(due, 120)); sent += due; }
      if (elapsed >= duration) {
        clearInterval(tick);
        process.send!({ done: true, sent, startedAt, endedAt: Date.now() });
      }
    }, 5);
  });
});
sock.on('error', (e) => { console.error(e); process.exit(1); });
process.on('disconnect', () => process.exit(0));
