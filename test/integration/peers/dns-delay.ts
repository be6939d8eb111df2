// A forwarder in front of dnsmasq that holds each answer for as long as the query name asks, so DNS
// latencies spread over every bucket (this kernel has no netem to delay packets): a first label
// `dNNN-…` holds the answer NNN ms; a first label `drop-…` is never answered. dnsmasq still makes every
// answer (found or NXDOMAIN). argv: listen-address port upstream-address upstream-port. Prints `ready`.
import dgram from 'node:dgram';

const [address, port, upstream, upstreamPort] = [process.argv[2]!, Number(process.argv[3]), process.argv[4]!, Number(process.argv[5])];
const front = dgram.createSocket('udp4');

/** The first label of the question (length-prefixed at offset 12), lower-cased. */
function firstLabel(q: Buffer): string {
  const n = q[12] ?? 0;
  return q.subarray(13, 13 + n).toString('latin1').toLowerCase();
}

front.on('message', (q, client) => {
  if (q.length < 13) return;
  const label = firstLabel(q);
  if (label.startsWith('drop-')) return;
  const delay = Number(/^d(\d{1,5})-/.exec(label)?.[1] ?? 0);
  const back = dgram.createSocket('udp4');
  back.on('message', (r) => {
    back.close();
    setTimeout(() => front.send(r, client.port, client.address), delay);
  });
  back.send(q, upstreamPort, upstream);
});
front.bind(port, address, () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
