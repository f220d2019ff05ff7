import { LDAP_DEFAULT_FILTER } from '@mailkeep/contracts';

/** RFC 4515 §3: the characters a filter value must escape. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (char) => `\\${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * How to keep only a group's members, nested groups included: Active Directory evaluates
 * LDAP_MATCHING_RULE_IN_CHAIN on `memberOf` itself; other servers (OpenLDAP's memberof overlay,
 * 389 DS, FreeIPA) keep `memberOf` with the direct groups only, so the group and every group
 * nested in it are listed and any of them matches.
 */
export type GroupScope =
  | { readonly kind: 'in-chain'; readonly groupDn: string }
  | { readonly kind: 'member-of-any'; readonly groupDns: readonly string[] };

/** AD's LDAP_MATCHING_RULE_IN_CHAIN: walks `member` links transitively. */
export const IN_CHAIN_RULE = '1.2.840.113556.1.4.1941';

/**
 * The users' filter: the service's (or the default), only entries that have the mail attribute
 * (no address, no mailbox), and the group scope when there is one.
 */
export function usersFilter(input: {
  readonly filter: string | undefined;
  readonly mailAttribute: string;
  readonly scope?: GroupScope;
}): string {
  const parts = [input.filter?.trim() || LDAP_DEFAULT_FILTER, `(${input.mailAttribute}=*)`];
  if (input.scope?.kind === 'in-chain') {
    parts.push(`(memberOf:${IN_CHAIN_RULE}:=${escapeFilterValue(input.scope.groupDn)})`);
  } else if (input.scope) {
    const clauses = input.scope.groupDns.map((dn) => `(memberOf=${escapeFilterValue(dn)})`);
    parts.push(clauses.length === 1 ? (clauses[0] ?? '') : `(|${clauses.join('')})`);
  }
  return `(&${parts.join('')})`;
}

/** Groups of the usual classes (AD `group`, `groupOfNames`, `groupOfUniqueNames`) directly in one of these groups. */
export function nestedGroupsFilter(groupDns: readonly string[]): string {
  const memberOf = groupDns.map((dn) => `(memberOf=${escapeFilterValue(dn)})`).join('');
  return `(&(|(objectClass=group)(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))(|${memberOf}))`;
}
