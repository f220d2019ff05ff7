import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP addresses as numbers, so that ranges can be compared exactly. An IPv4-mapped IPv6 address
 * (`::ffff:127.0.0.1`) is the IPv4 address it carries: a dual-stack socket connected to it
 * reaches that IPv4 host, so the policy must judge it as one.
 */
export interface IpAddress {
  readonly family: 4 | 6;
  /** 32 bits for IPv4, 128 for IPv6. */
  readonly value: bigint;
}

export const ADDRESS_BITS = { 4: 32, 6: 128 } as const;

/** `::ffff:0:0/96`: the IPv6 range whose low 32 bits are an IPv4 address (RFC 4291 §2.5.5.2). */
const IPV4_MAPPED_PREFIX = 0xffffn << 32n;

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** The 16-bit groups of one side of `::` (possibly ending in a dotted IPv4 tail). */
function ipv6Groups(side: string): bigint[] {
  if (side === '') return [];
  return side.split(':').flatMap((group) => {
    if (!group.includes('.')) return [BigInt(Number.parseInt(group, 16))];
    const v4 = ipv4Value(group);
    return [v4 >> 16n, v4 & 0xffffn];
  });
}

function ipv6Value(text: string): bigint {
  const [head = '', tail] = text.split('::');
  const left = ipv6Groups(head);
  const right = tail === undefined ? [] : ipv6Groups(tail);
  const zeros = Array<bigint>(8 - left.length - right.length).fill(0n);
  return [...left, ...zeros, ...right].reduce((value, group) => (value << 16n) | group, 0n);
}

/**
 * Parses a strict IP literal (dotted-quad IPv4 or IPv6, a `%zone` ignored); undefined for anything
 * else, including host names and odd IPv4 spellings (see `canonicalIpv4`).
 */
export function parseIp(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { family: 4, value: ipv4Value(text) };
  const address = text.replace(/%.*$/, '');
  if (!isIPv6(address)) return undefined;
  const value = ipv6Value(address);
  if (value >> 32n === IPV4_MAPPED_PREFIX >> 32n) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

/**
 * The dotted-quad form of a host name that IPv4 parsers read as an address — `127.1`,
 * `2130706433`, `0x7f.1`, `0177.0.0.1` — as the WHATWG URL parser and inet_aton(3) (which the
 * system resolver uses) both do; undefined when the name is not such a spelling.
 */
export function canonicalIpv4(host: string): string | undefined {
  if (isIPv4(host) || !/^[0-9a-fx.]+$/i.test(host) || !/^[0-9]/.test(host)) return undefined;
  try {
    const hostname = new URL(`http://${host}/`).hostname;
    return isIPv4(hostname) ? hostname : undefined;
  } catch {
    return undefined; // e.g. `256.1.1.1`: neither an address nor a resolvable name
  }
}

/** True when `address` lies in `network`/`prefix` (same family). */
export function inRange(address: IpAddress, network: IpAddress, prefix: number): boolean {
  if (address.family !== network.family) return false;
  const shift = BigInt(ADDRESS_BITS[address.family] - prefix);
  return address.value >> shift === network.value >> shift;
}
