// macOS `route -n get default`: the default gateway and its interface. A VPN that takes the default
// route (ipsec0, utun) prints an interface and no `gateway:` line.

/**
 * Sample:
 * `   route to: default` / `destination: default` / `    gateway: 192.168.6.1` / `  interface: en7`
 */
export function parseRouteGet(text: string): { gateway: string | null; interface: string | null } | undefined {
  const field = (k: string) => new RegExp(`^\\s*${k}:\\s*(\\S+)\\s*$`, 'm').exec(text)?.[1] ?? null;
  const iface = field('interface');
  const gateway = field('gateway');
  if (!iface && !gateway) return undefined;
  return { gateway, interface: iface };
}
