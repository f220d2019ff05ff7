import { describe, expect, it } from 'vitest';

import { EgressPolicy } from './egress-policy.js';

const DEFAULT = EgressPolicy.DEFAULT;

describe('the default policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast'],
    ['fd00:ec2::254', 'cloud metadata'],
    // IPv4-mapped IPv6 is the IPv4 address it carries.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:0.0.0.0', 'unspecified'],
  ])('refuses %s (%s) on any port', (address, what) => {
    for (const port of [993, 143, 22, 65535]) {
      expect(DEFAULT.decide(address, port)).toEqual({
        allowed: false,
        by: 'default',
        entry: expect.any(String) as string,
        what,
      });
    }
  });

  it.each([
    '10.0.0.5', // private ranges stay allowed: on-premises servers
    '172.16.4.2',
    '192.168.1.10',
    '100.64.0.1',
    '8.8.8.8',
    '93.184.216.34',
    '126.255.255.255', // next to loopback
    '128.0.0.1',
    '169.253.255.255', // next to link-local
    '223.255.255.255', // below multicast
    '2001:db8::1',
    'fd12:3456::1', // unique-local, like 10/8
    'fec0::1', // just past fe80::/10
    '::2',
    '::ffff:10.0.0.1',
    '2606:4700::6810:84e5',
  ])('allows %s', (address) => {
    expect(DEFAULT.decide(address, 993)).toEqual({ allowed: true, by: 'default' });
  });

  it('refuses what is not an IP literal (resolve first)', () => {
    for (const host of ['localhost', '127.1', '2130706433', '0x7f.1', '[::1]', '']) {
      expect(DEFAULT.decide(host, 993)).toEqual({ allowed: false, by: 'not-an-address' });
    }
  });
});

describe('allow entries', () => {
  it('with a port allow only that port, and nothing else of the range', () => {
    const policy = EgressPolicy.fromEntries('127.0.0.1:10993');
    expect(policy.decide('127.0.0.1', 10993)).toEqual({
      allowed: true,
      by: 'allow-entry',
      entry: '127.0.0.1:10993',
    });
    expect(policy.allows('127.0.0.1', 10143)).toBe(false);
    expect(policy.allows('127.0.0.1', 22)).toBe(false);
    expect(policy.allows('127.0.0.2', 10993)).toBe(false);
    expect(policy.allows('::1', 10993)).toBe(false);
    // The mapped form of the allowed address is the same address.
    expect(policy.allows('::ffff:127.0.0.1', 10993)).toBe(true);
  });

  it('without a port allow every port of the range', () => {
    const policy = EgressPolicy.fromEntries(['169.254.0.0/16', '[fe80::/10]']);
    expect(policy.allows('169.254.169.254', 80)).toBe(true);
    expect(policy.allows('169.254.1.1', 993)).toBe(true);
    expect(policy.allows('fe80::abcd', 993)).toBe(true);
    expect(policy.allows('127.0.0.1', 993)).toBe(false);
  });

  it('IPv6 entries in brackets, with and without a port', () => {
    const policy = EgressPolicy.fromEntries('[::1]:10993,[ff02::/16]');
    expect(policy.allows('::1', 10993)).toBe(true);
    expect(policy.allows('::1', 10995)).toBe(false);
    expect(policy.allows('ff02::1', 5)).toBe(true);
    expect(policy.allows('ff05::1', 5)).toBe(false);
  });

  it('written as IPv4-mapped IPv6 cover the IPv4 range', () => {
    const policy = EgressPolicy.fromEntries('[::ffff:127.0.0.0/104]:10993');
    expect(policy.allows('127.9.9.9', 10993)).toBe(true);
    expect(policy.allows('127.9.9.9', 10994)).toBe(false);
  });
});

describe('deny entries', () => {
  it('win over the default allow of public and private ranges', () => {
    const policy = EgressPolicy.fromEntries([], '10.0.0.0/8,[2001:db8::/32]');
    expect(policy.decide('10.20.30.40', 993)).toEqual({
      allowed: false,
      by: 'deny-entry',
      entry: '10.0.0.0/8',
    });
    expect(policy.allows('2001:db8:1::5', 995)).toBe(false);
    expect(policy.allows('::ffff:10.1.1.1', 993)).toBe(false);
    expect(policy.allows('192.168.1.1', 993)).toBe(true);
  });

  it('with a port deny only that port', () => {
    const policy = EgressPolicy.fromEntries([], '192.168.0.0/16:25,[fd00::/8]:143');
    expect(policy.allows('192.168.7.7', 25)).toBe(false);
    expect(policy.allows('192.168.7.7', 993)).toBe(true);
    expect(policy.allows('fd00::1', 143)).toBe(false);
    expect(policy.allows('fd00::1', 993)).toBe(true);
  });

  it('win over allow entries (explicit deny > explicit allow > default)', () => {
    const policy = EgressPolicy.fromEntries('127.0.0.0/8,10.0.0.0/8', '127.0.0.1:22,10.9.0.0/16');
    expect(policy.allows('127.0.0.1', 10993)).toBe(true);
    expect(policy.decide('127.0.0.1', 22)).toEqual({
      allowed: false,
      by: 'deny-entry',
      entry: '127.0.0.1:22',
    });
    expect(policy.allows('10.9.1.1', 993)).toBe(false);
    expect(policy.allows('10.8.1.1', 993)).toBe(true);
  });

  it('of everything refuse every address, IPv4 and IPv6', () => {
    const policy = EgressPolicy.fromEntries('203.0.113.10:993', '0.0.0.0/0,[::/0]');
    expect(policy.allows('203.0.113.10', 993)).toBe(false);
    expect(policy.allows('2001:db8::1', 993)).toBe(false);
  });
});
