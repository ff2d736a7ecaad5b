import { BlockList, isIP } from 'node:net';

/**
 * Addresses the crawler must not connect to unless private networks are allowed: everything the
 * IANA special-purpose registries (https://www.iana.org/assignments/iana-ipv4-special-registry,
 * iana-ipv6-special-registry) mark as not globally reachable, and what is not unicast at all. A
 * trusted web site is never there; an internal service, a cloud metadata endpoint or a gateway into
 * one may be. When in doubt a range is listed: refusing a page costs less than reading inside.
 */
const IPV4_RANGES: readonly (readonly [string, number, string])[] = [
  ['0.0.0.0', 8, '"this network"; 0.0.0.0 reaches the local host on Linux'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'shared address space of carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local, where cloud metadata services answer (169.254.169.254)'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (DS-Lite, NAT64 discovery…): no web site there'],
  ['192.0.2.0', 24, 'documentation (TEST-NET-1), which some networks use inside'],
  ['192.88.99.0', 24, 'deprecated 6to4 relay anycast: a gateway to addresses we do not check'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation (TEST-NET-2)'],
  ['203.0.113.0', 24, 'documentation (TEST-NET-3)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved, and 255.255.255.255, the limited broadcast'],
];

const IPV6_RANGES: readonly (readonly [string, number, string])[] = [
  ['::', 96, 'unspecified (::), loopback (::1) and the deprecated IPv4-compatible ::a.b.c.d'],
  // Globally reachable in the registry, but a NAT64 gateway connects to the IPv4 address inside,
  // private or not. A crawler behind DNS64 on an IPv6-only network would need this range back.
  ['64:ff9b::', 96, 'NAT64 well-known prefix: translated to the IPv4 address it embeds'],
  ['64:ff9b:1::', 48, 'NAT64 local use'],
  ['100::', 64, 'discard-only'],
  ['100:0:0:1::', 64, 'dummy prefix'],
  ['2001::', 23, 'IETF protocol assignments: Teredo (2001::/32, tunnels to an embedded IPv4), benchmarking…'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4: relayed to the IPv4 address it embeds'],
  ['3fff::', 20, 'documentation'],
  ['5f00::', 16, 'segment routing (SRv6) identifiers'],
  ['fc00::', 7, 'unique local (the IPv6 private ranges)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'deprecated site-local, still private to older stacks'],
  ['ff00::', 8, 'multicast'],
];

// No IPv4-mapped range (::ffff:0:0/96): BlockList checks a mapped address (::ffff:10.1.2.3) against
// the IPv4 ranges already, and it checks every IPv4 address against that range, so listing it
// refused the whole IPv4 web.
const PRIVATE_RANGES = new BlockList();
for (const [network, prefix] of IPV4_RANGES) PRIVATE_RANGES.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of IPV6_RANGES) PRIVATE_RANGES.addSubnet(network, prefix, 'ipv6');

/**
 * Whether an IP address (IPv6 with or without brackets) is in a range above. Node's BlockList also
 * matches an IPv4-mapped address (::ffff:10.1.2.3) against the IPv4 ranges. Not an address: false.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  return family !== 0 && PRIVATE_RANGES.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}
