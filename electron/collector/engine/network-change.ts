// Network-change detector (GlassWire's DNS and ARP alerts): the DNS servers changed while this computer
// stayed on the same network, or the gateway's address is now answered by another hardware (MAC)
// address — what a rogue DHCP server, a changed router setting or ARP spoofing look like. Pure:
// readings in (health-tier.ts NetworkIdentity), triggers out.
import { NETWORK_CHANGE_DNS_KEY, networkChangeGatewayKey } from '../../../shared/index.ts';
import type { Trigger } from './alerts.ts';
import type { NetworkIdentity } from './health-tier.ts';

/** Networks remembered with their DNS servers, gateways with their MAC (oldest forgotten first). */
export const MAX_NETWORKS = 64;

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

/**
 * What counts as a change, to keep false alarms rare:
 * - DNS: the set of servers differs from the last one seen *on the same network* (the gateway's MAC,
 *   else its address). Joining another network or turning a VPN on moves the gateway too: the new
 *   network's servers are learned silently, and coming back to a known network with other servers alerts.
 * - Gateway MAC: the same gateway address (on any network) answered by a new MAC. An incomplete
 *   neighbour entry (no MAC) and a gateway seen for the first time are learned, not alerted.
 * The first readings after a start are learned: this run has nothing to compare them with.
 */
export class NetworkChangeDetector {
  #dnsByNetwork = new Map<string, string[]>();
  #macByGateway = new Map<string, string>();

  check(n: NetworkIdentity, _now: number): Trigger[] {
    const out: Trigger[] = [];
    const gw = n.gateway;
    if (gw?.mac) {
      const before = this.#macByGateway.get(gw.ip);
      if (before && before !== gw.mac) {
        out.push({
          key: networkChangeGatewayKey(gw.ip), category: 'network-change', severity: 'warning',
          title: `Gateway ${gw.ip} changed its hardware address`,
          detail: `${gw.ip} was answered by ${before}, now by ${gw.mac}`,
          value: 1, threshold: 1, evidence: { destination: gw.ip, before, after: gw.mac },
        });
      }
      remember(this.#macByGateway, gw.ip, gw.mac);
    }
    // A network is known by its gateway's MAC once seen, else by the gateway's address (a VPN: no MAC).
    if (n.dnsServers && n.dnsServers.length > 0) {
      const net = gw ? (gw.mac ?? this.#macByGateway.get(gw.ip) ?? `ip:${gw.ip}`) : 'no gateway';
      const before = this.#dnsByNetwork.get(net);
      if (before && !same(before, n.dnsServers)) {
        out.push({
          key: NETWORK_CHANGE_DNS_KEY, category: 'network-change', severity: 'warning',
          title: 'DNS server changed',
          detail: `DNS servers ${before.join(', ')} → ${n.dnsServers.join(', ')} on the same network`,
          value: 1, threshold: 1, evidence: { before: before.join(', '), after: n.dnsServers.join(', '), ...(gw ? { destination: gw.ip } : {}) },
        });
      }
      remember(this.#dnsByNetwork, net, [...n.dnsServers]);
    }
    return out;
  }
}

function remember<V>(m: Map<string, V>, k: string, v: V): void {
  m.delete(k);
  if (m.size >= MAX_NETWORKS) m.delete(m.keys().next().value!);
  m.set(k, v);
}
