import { describe, expect, it } from 'vitest';

import { EgressRuleError, isEgressRule, parseEgressRule, parseEgressRules } from './egress-rule.js';
import { canonicalIpv4, parseIp } from './ip-address.js';

describe('parseIp', () => {
  it('reads IPv4, IPv6 and IPv4-mapped IPv6 as numbers', () => {
    expect(parseIp('127.0.0.1')).toEqual({ family: 4, value: 0x7f000001n });
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(parseIp('::')).toEqual({ family: 6, value: 0n });
    expect(parseIp('fe80::1')).toEqual({ family: 6, value: (0xfe80n << 112n) | 1n });
    expect(parseIp('2001:db8:0:0:0:0:2:1')).toEqual(parseIp('2001:db8::2:1'));
    expect(parseIp('::ffff:127.0.0.1')).toEqual({ family: 4, value: 0x7f000001n });
    expect(parseIp('::FFFF:7f00:0001')).toEqual({ family: 4, value: 0x7f000001n });
    expect(parseIp('64:ff9b::192.0.2.33')).toEqual({
      family: 6,
      value: (0x64n << 112n) | (0xff9bn << 96n) | 0xc0000221n,
    });
  });

  it('refuses host names and odd IPv4 spellings', () => {
    for (const text of [
      'localhost',
      '127.1',
      '2130706433',
      '0x7f.1',
      '010.0.0.1',
      '1.2.3.256',
      '[::1]',
      '',
    ]) {
      expect(parseIp(text), text).toBeUndefined();
    }
  });
});

describe('canonicalIpv4', () => {
  it.each([
    ['127.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0', '0.0.0.0'],
    ['169.254.43518', '169.254.169.254'],
    ['2852039166', '169.254.169.254'],
  ])('reads %s as %s', (host, address) => {
    expect(canonicalIpv4(host)).toBe(address);
  });

  it.each(['127.0.0.1', 'localhost', 'imap.example.com', '1e100.net', '256.1.1.1', 'deadbeef', '::1'])(
    'leaves %s alone',
    (host) => {
      expect(canonicalIpv4(host)).toBeUndefined();
    },
  );
});

describe('parseEgressRule', () => {
  it.each([
    ['127.0.0.1', { prefix: 32 }],
    ['127.0.0.1:10993', { prefix: 32, port: 10993 }],
    ['10.0.0.0/8', { prefix: 8 }],
    ['10.0.0.0/8:993', { prefix: 8, port: 993 }],
    ['0.0.0.0/0', { prefix: 0 }],
    ['[::1]', { prefix: 128 }],
    ['[::1]:995', { prefix: 128, port: 995 }],
    ['[fe80::/10]', { prefix: 10 }],
    ['[fe80::/10]:143', { prefix: 10, port: 143 }],
    ['[::/0]', { prefix: 0 }],
    ['[::ffff:127.0.0.1]:993', { prefix: 32, port: 993, network: { family: 4, value: 0x7f000001n } }],
    ['  192.168.0.0/16  ', { prefix: 16, entry: '192.168.0.0/16' }],
  ])('reads %s', (entry, expected) => {
    expect(parseEgressRule(entry)).toMatchObject(expected);
  });

  it.each([
    ['localhost', /neither a dotted-quad/],
    ['127.1', /neither a dotted-quad/],
    ['2130706433', /neither a dotted-quad/],
    ['::1', /without brackets/],
    ['fe80::/10', /without brackets/],
    ['[127.0.0.1]', /IPv6 .* in brackets/],
    ['[::1', /without brackets|neither/],
    ['[fe80::1%eth0]', /IPv6/],
    ['10.0.0.0/33', /prefix length .* 0 and 32/],
    ['[::/129]', /prefix length .* 0 and 128/],
    ['10.0.0.0/8/8', /neither a dotted-quad/],
    ['10.0.0.0/-1', /prefix length/],
    ['10.1.2.3/8', /bits set after the prefix/],
    ['[fe80::1/10]', /bits set after the prefix/],
    ['[::ffff:0:0/95]', /shorter than \/96/],
    ['127.0.0.1:0', /port/],
    ['127.0.0.1:65536', /port/],
    ['127.0.0.1:0x10', /port/],
    ['127.0.0.1:', /port/],
    ['[::1]:99999', /port/],
    ['https://10.0.0.1', /without brackets|neither/],
  ])('refuses %s', (entry, message) => {
    expect(() => parseEgressRule(entry)).toThrow(EgressRuleError);
    expect(() => parseEgressRule(entry)).toThrow(message);
    expect(isEgressRule(entry)).toBe(false);
  });

  it('never repeats the entry in its message (it may come from a secret-bearing environment)', () => {
    expect(() => parseEgressRule('10.1.2.3/8')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('10.1') as string }),
    );
  });

  it('reads lists, ignoring empty entries', () => {
    expect(parseEgressRules('127.0.0.1:10993, ,[::1]:10993,').map((rule) => rule.entry)).toEqual([
      '127.0.0.1:10993',
      '[::1]:10993',
    ]);
    expect(parseEgressRules([])).toEqual([]);
  });
});
