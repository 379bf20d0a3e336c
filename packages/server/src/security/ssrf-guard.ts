import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** What remote sources may reach. */
export interface NetworkPolicy {
  /** Allow loopback, link-local (cloud metadata), private and other non-public addresses. Default false. */
  allowPrivateNetworks?: boolean;
}

// Addresses a scan request must not make the server reach: they belong to the server's own host
// or network (loopback, link-local including the 169.254.169.254 metadata service, RFC 1918,
// carrier-grade NAT, unique-local and unspecified addresses).
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.168.0.0", 16], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) BLOCKED.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [["::", 128], ["::1", 128], ["fe80::", 10], ["fc00::", 7], ["ff00::", 8]] as const) BLOCKED.addSubnet(net, prefix, "ipv6");

/** Whether an IP address literal is one the guard refuses. IPv4-mapped IPv6 addresses are judged as IPv4. */
export function isBlockedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, "ipv4");
  if (family === 6) return BLOCKED.check(address, "ipv6");
  return true;
}

/**
 * Refuses a URL whose host is, or resolves to, a refused address (every
 * resolved address is checked, so a name with one public and one loopback
 * record is refused). Only http(s) and the schemes a source names are allowed.
 * Throws an Error whose message says why.
 */
export async function assertReachable(url: string, policy: NetworkPolicy, schemes: string[] = ["https:", "http:"]): Promise<void> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a URL: ${url}`);
  }
  if (!schemes.includes(u.protocol)) throw new Error(`scheme ${u.protocol} is not allowed here (${schemes.join(", ")})`);
  if (u.username || u.password) throw new Error("credentials in a URL are refused: use an integration");
  if (policy.allowPrivateNetworks) return;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true }).catch(() => [])).map((a) => a.address);
  if (!addresses.length) throw new Error(`cannot resolve ${host}`);
  const bad = addresses.find(isBlockedAddress);
  if (bad) throw new Error(`${host} resolves to ${bad}, a loopback, link-local or private address: refused (allowPrivateNetworks is off)`);
}
