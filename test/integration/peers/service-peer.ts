// Servers and clients with known byte counts both ways, for the per-host and per-service tests.
// argv: tcp-server HOST PORT REPLY   — each connection is sent REPLY bytes; what it sends is read and counted
//       udp-server HOST PORT REPLY   — each datagram is answered with one of REPLY bytes
//       tcp-client HOST PORT BYTES MS — sends BYTES paced over MS, then counts the reply for 500 ms more
//       udp-client HOST PORT BYTES MS — BYTES in 1000-byte datagrams over MS, counts the replies
// Messages: {ready} once listening or connected; clients start on {go} and answer {sent, received};
// servers answer {received} to {count}.
import dgram from 'node:dgram';
import net from 'node:net';

const [mode, host, portText, nText, msText] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const port = Number(portText), n = Number(nText), ms = Number(msText ?? 0);
let received = 0;
process.on('disconnect', () => process.exit(0));

/** Calls send(k) for chunks of `chunk` bytes so that `total` bytes go out evenly over `ms`. */
function paced(total: number, chunk: number, send: (k: number) => void, done: () => void): void {
  const t0 = performance.now();
  let sent = 0;
  const tick = setInterval(() => {
    let due = Math.min(total, Math.floor(((performance.now() - t0) / ms) * total)) - sent;
    while (due > 0) { const k = Math.min(chunk, due, total - sent); send(k); sent += k; due -= k; }
    if (sent >= total) { clearInterval(tick); done(); }
  }, 5);
}

switch (mode) {
  case 'tcp-server': {
    const s = net.createServer((c) => {
      c.on('data', (d) => { received += d.length; });
      c.on('error', () => {});
      c.write(Buffer.alloc(n, 1)); // no FIN: the client keeps its connection (and its socket listed) until killed
    });
    s.listen(port, host, () => process.send!({ ready: true }));
    process.on('message', () => process.send!({ received }));
    break;
  }
  case 'udp-server': {
    const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const reply = Buffer.alloc(n, 2);
    s.on('message', (m, r) => { received += m.length; s.send(reply, r.port, r.address); });
    s.bind(port, host, () => process.send!({ ready: true }));
    process.on('message', () => process.send!({ received }));
    break;
  }
  case 'tcp-client': {
    const c = net.connect(port, host, () => process.send!({ ready: true }));
    c.on('data', (d) => { received += d.length; });
    c.on('error', (e) => { console.error(e); process.exit(1); });
    let sent = 0;
    process.once('message', () => paced(n, 16384, (k) => { c.write(Buffer.alloc(k, 3)); sent += k; },
      () => setTimeout(() => process.send!({ sent, received }), 500)));
    break;
  }
  case 'udp-client': {
    const c = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    c.on('message', (m) => { received += m.length; });
    let sent = 0;
    c.connect(port, host, () => process.send!({ ready: true }));
    process.once('message', () => paced(n, 1000, (k) => { c.send(Buffer.alloc(k, 4)); sent += k; },
      () => setTimeout(() => process.send!({ sent, received }), 300)));
    break;
  }
  default: console.error(`unknown mode ${mode}`); process.exit(2);
}
