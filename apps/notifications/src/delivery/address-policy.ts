import { BlockList, isIP } from 'node:net';

// Addresses a notification may never reach in production (SSRF): the cluster's own network, the
// host, cloud metadata endpoints (169.254.169.254), and everything not routable on the internet.
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** An IPv4 address written as IPv6 (::ffff:10.0.0.1, or the hex form) is judged as the IPv4 it is. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const lower = address.toLowerCase();
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted?.[1]) return { address: dotted[1], family: 'ipv4' };
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex?.[1] && hex[2]) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return { address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, family: 'ipv4' };
  }
  return { address, family: isIP(address) === 4 ? 'ipv4' : 'ipv6' };
}

/** Where deliveries may go: production allows public addresses only; elsewhere loopback too. */
export interface AddressPolicy {
  allowLoopback: boolean;
}

/** Why an address is refused, or undefined when it may be reached. */
export function refusedAddress(address: string, policy: AddressPolicy): string | undefined {
  if (isIP(address) === 0) return `${address} is not an IP address`;
  const ip = unmapped(address);
  if (policy.allowLoopback && LOOPBACK.check(ip.address, ip.family)) return undefined;
  if (NON_PUBLIC.check(ip.address, ip.family)) {
    return `${address} is a private, loopback, link-local or reserved address`;
  }
  return undefined;
}

/**
 * Checks a destination URL's form: HTTPS in production (HTTP only to loopback outside it), no
 * credentials, and an IP-literal host must pass `refusedAddress`. Names are resolved and checked
 * again at every delivery, since DNS may answer differently later.
 */
export function refusedUrl(raw: string, policy: AddressPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) !== 0;
  if (url.protocol === 'http:') {
    const loopbackHost = host === 'localhost' || (literal && LOOPBACK.check(unmapped(host).address, unmapped(host).family));
    if (!policy.allowLoopback || !loopbackHost) return 'must be an https URL';
  }
  if (literal) {
    const refused = refusedAddress(host, policy);
    if (refused) return `must not point at ${refused.replace(/ is /, ', which is ')}`;
  } else if (host === 'localhost' && !policy.allowLoopback) {
    return 'must not point at localhost';
  }
  return undefined;
}
