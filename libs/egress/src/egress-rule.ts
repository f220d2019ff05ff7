import { ADDRESS_BITS, inRange, type IpAddress, parseIp } from './ip-address.js';

/**
 * One entry of `MAILKEEP_EGRESS_ALLOW` / `MAILKEEP_EGRESS_DENY`: an address or CIDR range, and
 * optionally one port. `10.0.0.0/8`, `127.0.0.1:10993`, `[::1]`, `[fd00::/8]:993`.
 */
export interface EgressRule {
  readonly network: IpAddress;
  readonly prefix: number;
  /** Undefined: every port. */
  readonly port?: number;
  /** The entry as written, for logs. */
  readonly entry: string;
}

/** Why an entry was refused; the message says what is wrong without repeating the entry. */
export class EgressRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EgressRuleError';
  }
}

const BRACKETED = /^\[([^\]]*)\](?::([^:]*))?$/;
const PLAIN = /^([^:[\]]*)(?::([^:]*))?$/;

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Decimal only; port 0 cannot be connected to, so it can only be a typo.
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new EgressRuleError('has a port that is not an integer between 1 and 65535');
  }
  return Number(text);
}

function parseRange(text: string, family: 4 | 6): { network: IpAddress; prefix: number } {
  const [address = '', prefixText, ...rest] = text.split('/');
  const parsed = parseIp(address);
  const written = address.includes(':') ? 6 : 4;
  if (parsed === undefined || written !== family || address.includes('%') || rest.length > 0) {
    throw new EgressRuleError(
      family === 6
        ? 'has an IPv6 address or CIDR range in brackets that cannot be read'
        : 'is neither a dotted-quad IPv4 address or CIDR range nor an IPv6 one in brackets',
    );
  }
  const bits = ADDRESS_BITS[written];
  let prefix: number = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
      throw new EgressRuleError(`has a CIDR prefix length that is not an integer between 0 and ${bits}`);
    }
    prefix = Number(prefixText);
  }
  // `::ffff:127.0.0.0/104` is written in IPv6 but is the IPv4 range 127.0.0.0/8 (see parseIp).
  if (parsed.family === 4 && written === 6) {
    if (prefix < 96) throw new EgressRuleError('has an IPv4-mapped IPv6 range shorter than /96');
    prefix -= 96;
  }
  const host = parsed.value & ((1n << BigInt(ADDRESS_BITS[parsed.family] - prefix)) - 1n);
  if (host !== 0n) {
    // 10.1.2.3/8 is either a typo for a host or for 10.0.0.0/8: refuse rather than guess.
    throw new EgressRuleError('has a CIDR range with bits set after the prefix length');
  }
  return { network: parsed, prefix };
}

/** Parses one entry; throws EgressRuleError naming what is wrong. */
export function parseEgressRule(entry: string): EgressRule {
  const text = entry.trim();
  const bracketed = BRACKETED.exec(text);
  if (bracketed) {
    const range = parseRange(bracketed[1] ?? '', 6);
    const port = parsePort(bracketed[2]);
    return { ...range, ...(port !== undefined && { port }), entry: text };
  }
  const plain = PLAIN.exec(text);
  if (!plain) {
    throw new EgressRuleError(
      text.includes(':') && !text.startsWith('[')
        ? 'has an IPv6 entry without brackets (write [::1] or [::1]:993)'
        : 'is neither a dotted-quad IPv4 address or CIDR range nor an IPv6 one in brackets',
    );
  }
  const range = parseRange(plain[1] ?? '', 4);
  const port = parsePort(plain[2]);
  return { ...range, ...(port !== undefined && { port }), entry: text };
}

/** Parses a comma-separated list (or the list already split); empty entries are ignored. */
export function parseEgressRules(entries: string | readonly string[]): EgressRule[] {
  const list = typeof entries === 'string' ? entries.split(',') : entries;
  return list.filter((entry) => entry.trim() !== '').map(parseEgressRule);
}

/** True when `entry` is a valid rule (for configuration validation). */
export function isEgressRule(entry: unknown): boolean {
  if (typeof entry !== 'string') return false;
  try {
    parseEgressRule(entry);
    return true;
  } catch (error) {
    if (error instanceof EgressRuleError) return false;
    throw error;
  }
}

/** True when the rule covers this address and port. */
export function ruleMatches(rule: EgressRule, address: IpAddress, port: number): boolean {
  return (rule.port === undefined || rule.port === port) && inRange(address, rule.network, rule.prefix);
}
