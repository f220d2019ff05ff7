import { ConnectionTest, ConnectionTestFailure } from '@mailkeep/connector-kit';
import {
  ContractError,
  LDAP_DEFAULT_DISPLAY_NAME_ATTRIBUTE,
  LDAP_DEFAULT_MAIL_ATTRIBUTE,
  LDAP_DEFAULT_PAGE_SIZE,
  type LdapDirectorySettings,
  type ResolvedSecret,
  type TestConnectionResult,
} from '@mailkeep/contracts';
import type { Egress } from '@mailkeep/egress';
import { FilterParser } from 'ldapts';

import type { SecretsClient } from '../../ports/secrets.js';
import { DirectorySource, type SourceEntry, type SourceService } from '../directory-source.js';
import { LdapConnection } from './ldap-connection.js';
import { entryOfLdapUser, type LdapAttributeMap, requestedAttributes } from './ldap-entry.js';
import { classifyLdapError, ldapSourceError } from './ldap-error.js';
import { type GroupScope, IN_CHAIN_RULE, nestedGroupsFilter, usersFilter } from './ldap-filter.js';

/** The profiles' default (SPEC §3.1 timeoutSeconds): one bound for connect, bind and each page. */
const DEFAULT_TIMEOUT_SECONDS = 60;
/**
 * Root DSE `supportedCapabilities` of Active Directory Domain Services and of AD LDS: the servers
 * that evaluate LDAP_MATCHING_RULE_IN_CHAIN. OpenLDAP accepts the rule in a filter and matches
 * nothing, so it is only ever sent to a server that announces one of these.
 */
const ACTIVE_DIRECTORY_CAPABILITIES = new Set(['1.2.840.113556.1.4.800', '1.2.840.113556.1.4.1851']);
/** Levels of nested groups followed on servers without the in-chain rule; deeper nesting is a loop or a mistake. */
const MAX_GROUP_DEPTH = 10;

/**
 * Users of an LDAP directory or Active Directory (SPEC D3 ldap): a simple bind with the `basic`
 * secret, then a paged subtree search (RFC 2696) of the base DN with the filter, so a directory
 * larger than the server's size limit is read whole. Every connection goes through the egress
 * policy (LdapConnection).
 */
export class LdapDirectorySource extends DirectorySource {
  constructor(
    private readonly secrets: SecretsClient,
    private readonly egress: Egress,
  ) {
    super();
  }

  async list(service: SourceService): Promise<SourceEntry[]> {
    const settings = service.settings as unknown as LdapDirectorySettings;
    const credentials = await this.credentials(service, settings);
    const connection = new LdapConnection(this.egress, endpointOf(settings));
    try {
      await connection.connect();
      if (settings.protocol === 'ldap-tls') await connection.startTls();
      await connection.bind(credentials.username, credentials.password);
      const scope = settings.groupDn ? await groupScope(connection, settings, settings.groupDn) : undefined;
      const map = attributeMap(settings);
      const entries: SourceEntry[] = [];
      for await (const page of connection.searchPages(settings.baseDn, searchOptions(settings, map, scope))) {
        for (const found of page.searchEntries) {
          const entry = entryOfLdapUser(found, map);
          if (entry) entries.push(entry);
        }
      }
      return entries;
    } catch (error) {
      throw ldapSourceError(error);
    } finally {
      await connection.close();
    }
  }

  async test(service: SourceService): Promise<TestConnectionResult> {
    const settings = service.settings as unknown as LdapDirectorySettings;
    const plan = [
      'connect',
      ...(settings.protocol === 'ldap-tls' ? ['start tls'] : []),
      'bind',
      ...(settings.groupDn ? ['find group'] : []),
      'search',
    ];
    const test = new ConnectionTest(plan);
    const connection = new LdapConnection(this.egress, endpointOf(settings));
    try {
      return await test.run(async () => {
        const credentials = await this.credentials(service, settings);
        await test.step(
          'connect',
          () => connection.connect(),
          (where) => where,
        );
        if (settings.protocol === 'ldap-tls') {
          await test.step(
            'start tls',
            () => connection.startTls(),
            (detail) => detail,
          );
        }
        await test.step(
          'bind',
          () => connection.bind(credentials.username, credentials.password),
          () => `as ${credentials.username}`,
        );
        const groupDn = settings.groupDn;
        const scope = groupDn
          ? await test.step('find group', () => groupScope(connection, settings, groupDn), describeScope)
          : undefined;
        const map = attributeMap(settings);
        await test.step(
          'search',
          async () => {
            // One page of one entry: proves the base DN, the filter and the read rights, nothing more.
            const pages = connection.searchPages(settings.baseDn, {
              ...searchOptions(settings, map, scope),
              paged: { pageSize: 1 },
            });
            const first = await pages.next();
            await pages.return(undefined);
            return first.done ? undefined : first.value.searchEntries[0];
          },
          (found) => {
            if (!found) return `no entry under ${settings.baseDn} matches the filter`;
            const entry = entryOfLdapUser(found, map);
            return entry ? `first entry: ${found.dn} (${entry.primaryAddress})` : `first entry: ${found.dn}`;
          },
        );
      }, classifyLdapError);
    } finally {
      await connection.close();
    }
  }

  /** The bind DN and password, resolved just in time (SPEC S7); a secret that is gone is a clear failure. */
  private async credentials(
    service: SourceService,
    settings: LdapDirectorySettings,
  ): Promise<{ username: string; password: string }> {
    const secret: ResolvedSecret | undefined = await this.secrets.resolve(
      service.tenantId,
      settings.credentialsSecretId,
    );
    if (!secret?.username || secret.password === undefined) {
      throw new ContractError(
        'RULE_VIOLATION',
        `The secret of directory service "${service.name}" no longer exists or has no user name; choose another one`,
        { reason: 'directory_source_configuration' },
      );
    }
    return { username: secret.username, password: secret.password };
  }
}

function endpointOf(settings: LdapDirectorySettings) {
  return {
    serverName: settings.serverName,
    port: settings.port,
    protocol: settings.protocol,
    timeoutMs: (settings.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    verifyCertificate: settings.ignoreTlsCertificateErrors !== true,
  };
}

function attributeMap(settings: LdapDirectorySettings): LdapAttributeMap {
  return {
    mail: settings.mailAttribute ?? LDAP_DEFAULT_MAIL_ATTRIBUTE,
    displayName: settings.displayNameAttribute ?? LDAP_DEFAULT_DISPLAY_NAME_ATTRIBUTE,
  };
}

function searchOptions(
  settings: LdapDirectorySettings,
  map: LdapAttributeMap,
  scope: GroupScope | undefined,
) {
  const filter = usersFilter({ filter: settings.filter, mailAttribute: map.mail, ...(scope && { scope }) });
  return {
    scope: 'sub' as const,
    filter: parseFilter(filter),
    attributes: requestedAttributes(map),
    explicitBufferAttributes: ['objectGUID'],
    paged: { pageSize: settings.pageSize ?? LDAP_DEFAULT_PAGE_SIZE },
  };
}

/** Parsed before anything is sent, so a filter the client cannot read fails as a setting. */
function parseFilter(filter: string) {
  try {
    return FilterParser.parseString(filter);
  } catch (error) {
    throw new ConnectionTestFailure(
      'configuration',
      'The filter is not a valid LDAP filter (RFC 4515).',
      `${filter}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * How to filter on the group's members, nested groups included. The group must exist (a wrong DN
 * is a setting to fix, not an empty directory). Active Directory follows nesting itself (the
 * in-chain rule); elsewhere the groups nested in it are collected level by level through their
 * `memberOf`, cycles ignored.
 */
async function groupScope(
  connection: LdapConnection,
  settings: LdapDirectorySettings,
  groupDn: string,
): Promise<GroupScope> {
  await connection.search(groupDn, { scope: 'base', attributes: ['1.1'] });
  const rootDse = (
    await connection.search('', {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['supportedCapabilities', 'namingContexts'],
    })
  ).searchEntries[0];
  const values = (name: string) => [rootDse?.[name] ?? []].flat().map(String);
  if (values('supportedCapabilities').some((c) => ACTIVE_DIRECTORY_CAPABILITIES.has(c))) {
    return { kind: 'in-chain', groupDn };
  }
  // Groups often live outside the users' base DN (ou=Groups next to ou=People): nested groups are
  // looked for in the naming context that holds the group.
  const groupsBase =
    values('namingContexts')
      .filter((context) => groupDn.toLowerCase().endsWith(context.toLowerCase()))
      .sort((a, b) => b.length - a.length)[0] ?? settings.baseDn;
  const seen = new Map([[groupDn.toLowerCase(), groupDn]]);
  let level = [groupDn];
  for (let depth = 0; depth < MAX_GROUP_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for await (const page of connection.searchPages(groupsBase, {
      scope: 'sub',
      filter: nestedGroupsFilter(level),
      attributes: ['1.1'],
      paged: { pageSize: settings.pageSize ?? LDAP_DEFAULT_PAGE_SIZE },
    })) {
      for (const { dn } of page.searchEntries) {
        if (seen.has(dn.toLowerCase())) continue;
        seen.set(dn.toLowerCase(), dn);
        next.push(dn);
      }
    }
    level = next;
  }
  return { kind: 'member-of-any', groupDns: [...seen.values()] };
}

function describeScope(scope: GroupScope): string {
  return scope.kind === 'in-chain'
    ? `Active Directory: nested members through the in-chain rule ${IN_CHAIN_RULE}`
    : `memberOf of the group and ${scope.groupDns.length - 1} nested group(s)`;
}
