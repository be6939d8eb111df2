// A TCP server that reads and counts everything (a test peer with a known pid and name).
// Sends {port} once listening and {received} when asked.
import net from 'node:net';

process.title = 'nwtest-server';
let received = 0;
const server = net.createServer((c) => {
  c.on('data', (d) => { received += d.length; });
  c.on('end', () => c.end());
  c.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as net.AddressInfo).port }));
process.on('message', (m: { type: string }) => { if (m.type === 'count') process.send!({ received }); });
process.on('disconnect', () => process.exit(0));
