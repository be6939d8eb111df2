// Which interfaces the popover lists and which it folds behind one "n more" line. A person asks "what
// is my machine using right now": the links that are up and real (Ethernet, Wi-Fi, cellular), plus any
// virtual one that carries traffic (a VPN tunnel, a container's veth). Down links, loopback (local
// traffic only) and idle virtual devices (docker0, bridges without ports) fold, unless the user put
// them in the total (the "interfaces in the total" setting): what is counted is always shown.
import type { Interface } from '../../../shared/index.ts';

type Iface = Pick<Interface, 'name' | 'type' | 'up' | 'rxBps' | 'txBps' | 'history'>;

/** A virtual interface counts as carrying traffic above this rate now or in its history, bytes/s. */
export const ACTIVE_BPS = 1;

const active = (i: Iface): boolean => i.rxBps + i.txBps >= ACTIVE_BPS
  || i.history.rxBps.some((v) => v !== null && v >= ACTIVE_BPS) || i.history.txBps.some((v) => v !== null && v >= ACTIVE_BPS);

export function splitInterfaces<I extends Iface>(ifs: readonly I[], only: readonly string[] = []): { shown: I[]; folded: I[] } {
  const shown: I[] = [], folded: I[] = [];
  for (const i of ifs) {
    const show = only.includes(i.name) || (i.up && i.type !== 'Loopback' && (i.type !== 'Virtual' || active(i)));
    (show ? shown : folded).push(i);
  }
  // Folded: up ones first (the user may want them), down ones last; names in the kernel's order otherwise.
  folded.sort((a, b) => Number(b.up) - Number(a.up));
  return { shown, folded };
}
