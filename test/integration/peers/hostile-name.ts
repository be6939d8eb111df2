// A process whose title is what a spreadsheet would run as a formula, with a comma, a quote and a line
// break in it (a process name is whatever its owner chose), holding one loopback connection that
// carries a little traffic. Prints "ready <pid>".
import net from 'node:net';

process.title = process.argv[2] ?? '=HYPERLINK("http://x.invalid/?a,b",1)\nnext';
const server = net.createServer((c) => { c.on('data', () => {}); c.on('error', () => {}); });
server.listen(0, '127.0.0.1', () => {
  const c = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1', () => {
    setInterval(() => c.write(Buffer.alloc(1000, 97)), 100);
    console.log(`ready ${process.pid}`);
  });
  c.on('error', () => {});
});
