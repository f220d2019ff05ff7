import { type EgressRule, parseEgressRules, ruleMatches } from './egress-rule.js';
import { parseIp } from './ip-address.js';

/**
 * Ranges refused unless an allow entry names them: where a connection would reach the worker's
 * own machine or its cloud environment instead of a mail server. Private ranges (10/8,
 * 172.16/12, 192.168/16, fc00::/7) stay allowed: MSPs archive on-premises servers.
 */
export const DEFAULT_REFUSED_RANGES: readonly { readonly range: string; readonly what: string }[] = [
  { range: '127.0.0.0/8', what: 'loopback' },
  // 0.0.0.0 as a destination reaches the local host on Linux; the rest of 0/8 is "this network".
  { range: '0.0.0.0/8', what: 'unspecified' },
  // Includes the cloud metadata service at 169.254.169.254 (AWS, GCP, Azure, OpenStack).
  { range: '169.254.0.0/16', what: 'link-local' },
  { range: '224.0.0.0/4', what: 'multicast' },
  { range: '255.255.255.255', what: 'broadcast' },
  { range: '[::1]', what: 'loopback' },
  { range: '[::]', what: 'unspecified' },
  { range: '[fe80::/10]', what: 'link-local' },
  { range: '[ff00::/8]', what: 'multicast' },
  // AWS's IPv6 metadata endpoint sits in the (otherwise allowed) unique-local range.
  { range: '[fd00:ec2::254]', what: 'cloud metadata' },
];

const DEFAULTS: readonly (EgressRule & { readonly what: string })[] = DEFAULT_REFUSED_RANGES.map(
  ({ range, what }) => ({ ...parseEgressRules([range])[0]!, what }),
);

/** Why a destination is refused: an operator's deny entry, or one of the default ranges. */
export type EgressDecision =
  | { readonly allowed: true; readonly by: 'allow-entry' | 'default'; readonly entry?: string }
  | {
      readonly allowed: false;
      readonly by: 'deny-entry' | 'default' | 'not-an-address';
      /** The deny entry or default range that matched. */
      readonly entry?: string;
      /** `loopback`, `link-local`, … for a default range. */
      readonly what?: string;
    };

/**
 * Which addresses and ports a connection to a tenant-supplied host may reach. Precedence, first
 * match wins: an operator's deny entry; an operator's allow entry; the default refused ranges;
 * everything else is allowed. So a deny entry can never be undone by an allow entry, and an allow
 * entry only ever widens the default (with a port, for that port alone).
 */
export class EgressPolicy {
  private constructor(
    private readonly allow: readonly EgressRule[],
    private readonly deny: readonly EgressRule[],
  ) {}

  /** From the two variables' entries (validated by `@mailkeep/config`; re-parsed here). */
  static fromEntries(
    allow: string | readonly string[] = [],
    deny: string | readonly string[] = [],
  ): EgressPolicy {
    return new EgressPolicy(parseEgressRules(allow), parseEgressRules(deny));
  }

  /** The default policy: nothing added, nothing taken away. */
  static readonly DEFAULT = EgressPolicy.fromEntries();

  /** Judges a connection to an IP literal and port (never a host name: resolve it first). */
  decide(address: string, port: number): EgressDecision {
    const ip = parseIp(address);
    if (ip === undefined) return { allowed: false, by: 'not-an-address' };
    const denied = this.deny.find((rule) => ruleMatches(rule, ip, port));
    if (denied) return { allowed: false, by: 'deny-entry', entry: denied.entry };
    const allowed = this.allow.find((rule) => ruleMatches(rule, ip, port));
    if (allowed) return { allowed: true, by: 'allow-entry', entry: allowed.entry };
    const refused = DEFAULTS.find((rule) => ruleMatches(rule, ip, port));
    if (refused) return { allowed: false, by: 'default', entry: refused.entry, what: refused.what };
    return { allowed: true, by: 'default' };
  }

  allows(address: string, port: number): boolean {
    return this.decide(address, port).allowed;
  }
}
