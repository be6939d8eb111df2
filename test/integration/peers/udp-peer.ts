// A UDP peer for the capture tests. argv: recv HOST [PORT] | send HOST [connect]
// recv: binds HOST:PORT (0 = any free port), messages {port}; on {report} answers {received}.
// send: binds HOST:0 (connected to the target with `connect`), messages {port}; on
// {go, port, host, bytes, ms} sends `bytes` in 1000-byte datagrams paced over `ms`, answers {sent}.
import dgram from 'node:dgram';

const [mode, host, extra] = process.argv.slice(2) as [string, string, string | undefined];
const sock = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
let received = 0;
sock.on('message', (m) => { received += m.length; });
sock.on('error', (e) => { console.error(e); process.exit(1); });
process.on('disconnect', () => process.exit(0));

sock.bind(mode === 'recv' ? Number(extra ?? 0) : 0, host, () => {
  process.send!({ port: sock.address().port });
  process.on('message', (m: { report?: true; go?: true; port: number; host: string; bytes: number; ms: number }) => {
    if (m.report) { process.send!({ received }); return; }
    const go = () => {
      const b = Buffer.alloc(1000, 7);
      const total = Math.floor(m.bytes / 1000);
      const t0 = performance.now();
      let n = 0, sent = 0, inFlight = 0;
      // Pace by elapsed time, not by timer ticks, so timer jitter does not change the average rate.
      const tick = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / m.ms) * total)) - n;
        for (let i = 0; i < due; i++, n++) {
          inFlight++;
          const done = (e: Error | null) => { inFlight--; if (!e) sent += 1000; if (n === total && inFlight === 0) process.send!({ sent }); };
          if (extra === 'connect') sock.send(b, done); else sock.send(b, m.port, m.host, done);
        }
        if (n >= total) clearInterval(tick);
      }, 5);
    };
    if (extra === 'connect') sock.connect(m.port, m.host, go); else go();
  });
});
