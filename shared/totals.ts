// "Total" traffic as the tray title and the popover header show it: one rule for both.
import type { Interface } from './contract/interfaces.ts';
import type { Attribution } from './contract/connections.ts';

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

/** True when the user put a loopback interface in "interfaces in the total": the lists count it too. */
export function totalIncludesLoopback(ifs: ReadonlyArray<Pick<Interface, 'name' | 'type'>>, only: readonly string[] = []): boolean {
  return countedInterfaces(ifs, only).some((i) => i.type === 'Loopback');
}

interface Rates { rxBps: number; txBps: number; rxBytes: number; txBytes: number }

/**
 * An app's or process's figures under the total's rule: external traffic only, or with its loopback
 * part when the total includes loopback. (The split is external/loopback, not per interface.)
 */
export function countedTraffic(u: Rates & { loopback: Rates }, includeLoopback: boolean): Rates {
  if (includeLoopback) return { rxBps: u.rxBps, txBps: u.txBps, rxBytes: u.rxBytes, txBytes: u.txBytes };
  // Rates are summed in floating point: clamp the tiny negatives a subtraction can leave.
  const d = (a: number, b: number) => Math.max(0, a - b);
  return { rxBps: d(u.rxBps, u.loopback.rxBps), txBps: d(u.txBps, u.loopback.txBps), rxBytes: d(u.rxBytes, u.loopback.rxBytes), txBytes: d(u.txBytes, u.loopback.txBytes) };
}

/**
 * The list's headline over the attribution window (the same window as the apps' rates): interface
 * traffic, and the part no app explains. Apps (by countedTraffic) + unattributed = total.
 */
export function explainedTotal(att: Pick<Attribution, 'window' | 'unattributed'>, includeLoopback: boolean): { total: { rxBps: number; txBps: number }; unattributed: { rxBps: number; txBps: number } } {
  const w = att.window, u = att.unattributed;
  if (!includeLoopback) return { total: { ...w.external }, unattributed: { rxBps: u.external.rxBps, txBps: u.external.txBps } };
  return {
    total: { rxBps: w.external.rxBps + w.loopback.rxBps, txBps: w.external.txBps + w.loopback.txBps },
    unattributed: { rxBps: u.external.rxBps + u.loopback.rxBps, txBps: u.external.txBps + u.loopback.txBps },
  };
}
