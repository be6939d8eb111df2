// MAC addresses as tools print them (unpadded on macOS `airport`, upper case elsewhere).

/** Zero-pads and lower-cases a MAC (`31:23:3:1a:9f:1d` → `31:23:03:1a:9f:1d`); null if it is not one. */
export function normaliseMac(s: string): string | null {
  const parts = s.trim().split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return null;
  return parts.map((p) => p.padStart(2, '0').toLowerCase()).join(':');
}
