import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../crawler/fetch/private-addresses.ts';

describe('the addresses a crawl without private networks refuses', () => {
  it.each([
    ['loopback', ['127.0.0.1', '127.255.0.9', '::1', '[::1]']],
    ['RFC 1918 private', ['10.1.2.3', '172.16.0.1', '172.31.255.254', '192.168.1.1']],
    ['cloud metadata and link-local', ['169.254.169.254', 'fe80::1']],
    ['"this network" and the unspecified address', ['0.0.0.0', '0.1.2.3', '::']],
    ['carrier-grade NAT', ['100.64.0.1', '100.127.255.254']],
    ['IETF protocol assignments', ['192.0.0.8', '192.0.0.170']],
    ['documentation', ['192.0.2.10', '198.51.100.7', '203.0.113.42', '2001:db8::1', '3fff::1']],
    ['benchmarking', ['198.18.0.1', '198.19.255.255']],
    ['multicast', ['224.0.0.1', '239.255.255.250', 'ff02::1', 'ff0e::1']],
    ['reserved and broadcast', ['240.0.0.1', '250.1.2.3', '255.255.255.255']],
    [
      'IPv4-mapped private',
      ['::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.1.2.3', '::ffff:169.254.169.254'],
    ],
    ['IPv4-compatible (deprecated)', ['::127.0.0.1', '::7f00:1']],
    ['NAT64', ['64:ff9b::7f00:1', '64:ff9b::a01:203', '64:ff9b:1::1']],
    ['6to4 and its relay', ['2002:7f00:1::1', '2002:a01:203::1', '192.88.99.1']],
    ['Teredo and other IETF IPv6 assignments', ['2001::1', '2001:0:4136:e378::1', '2001:2::1']],
    ['discard-only', ['100::1']],
    ['unique local and site-local', ['fc00::1', 'fd12:3456::1', 'fec0::1']],
    ['SRv6 identifiers', ['5f00::1']],
  ])('%s', (_kind, addresses) => {
    for (const address of addresses)
      expect({ address, private: isPrivateAddress(address) }).toEqual({ address, private: true });
  });

  it('lets every public address through, IPv4 and IPv6', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '93.184.215.14',
      '192.31.196.1',
      '100.128.0.1',
      '172.32.0.1',
      '2001:4860:4860::8888',
      '2a01:e0a:1::1',
      '::ffff:8.8.8.8',
    ])
      expect({ address, private: isPrivateAddress(address) }).toEqual({ address, private: false });
  });

  it('leaves host names to the DNS check', () => {
    expect(isPrivateAddress('localhost')).toBe(false);
    expect(isPrivateAddress('www.tarbes.fr')).toBe(false);
  });
});
