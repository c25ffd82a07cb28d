// Whose address is it? Only a header that our own proxy sets can say (AUTH_TRUSTED_IP_HEADER). With
// none configured the address is unknown and nothing is counted per address: every `npm run dev`
// client is 127.0.0.1, and a bucket shared by all clients is one any client can fill for everyone
// (docs/security.md "Rate limiting").
import { isIPv4, isIPv6 } from "node:net";

/**
 * The client address from the first trusted header that holds exactly one valid IP address, or
 * null. A list ("a, b") is refused rather than guessed from: an appending proxy puts its own
 * upstream last, and a client-chosen entry first. IPv6 counts per /64 (one host's usual share),
 * an IPv4-mapped IPv6 address as its IPv4 address.
 */
export function clientAddress(headers: Headers, trustedHeaders: readonly string[]): string | null {
  for (const name of trustedHeaders) {
    const entries = (headers.get(name) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (entries.length !== 1) continue;
    const normalized = normalizeAddress(entries[0]!);
    if (normalized) return normalized;
  }
  return null;
}

export function normalizeAddress(raw: string): string | null {
  if (isIPv4(raw)) return raw;
  if (!isIPv6(raw)) return null;
  const groups = expandIPv6(raw.toLowerCase());
  if (groups.slice(0, 5).every((g) => g === "0000") && groups[5] === "ffff") {
    const [hi, lo] = [Number.parseInt(groups[6]!, 16), Number.parseInt(groups[7]!, 16)];
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
  }
  return `${groups.slice(0, 4).join(":")}::/64`;
}

/** Eight 4-digit groups; an embedded dotted IPv4 tail becomes the last two groups. */
function expandIPv6(address: string): string[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => g.padStart(4, "0"));
}
