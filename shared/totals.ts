// "Total" traffic as the tray title and the popover header show it: one rule for both.
import type { Interface } from './contract/interfaces.ts';

/**
 * Interfaces that count towards the total: the physical ones (loopback is local, and bridges or veths
 * would count the same bytes twice). Where there is none — a container, whose eth0 is a veth — every
 * non-loopback interface. `only` (the "interfaces in the total" setting) overrides both.
 */
export function countedInterfaces<I extends Pick<Interface, 'name' | 'type'>>(ifs: readonly I[], only: readonly string[] = []): I[] {
  if (only.length > 0) return ifs.filter((i) => only.includes(i.name));
  const physical = ifs.filter((i) => i.type !== 'Loopback' && i.type !== 'Virtual');
  return physical.length > 0 ? physical : ifs.filter((i) => i.type !== 'Loopback');
}

/** Current total rates in bytes/s over the counted interfaces. */
export function totalRates(ifs: ReadonlyArray<Pick<Interface, 'name' | 'type' | 'rxBps' | 'txBps'>>, only: readonly string[] = []): { rxBps: number; txBps: number } {
  let rxBps = 0, txBps = 0;
  for (const i of countedInterfaces(ifs, only)) { rxBps += i.rxBps; txBps += i.txBps; }
  return { rxBps, txBps };
}
