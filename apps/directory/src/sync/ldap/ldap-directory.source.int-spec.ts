import type { LdapDirectorySettings, ResolvedSecret } from '@mailkeep/contracts';
import { Egress, EgressPolicy } from '@mailkeep/egress';
import { contractFailure, type RunningSlapd, startSlapd, waitFor, withoutTimings } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SecretsClient } from '../../ports/secrets.js';
import type { SourceService } from '../directory-source.js';
import { LdapDirectorySource } from './ldap-directory.source.js';

/**
 * The ldap source against a real slapd (libs/testing startSlapd: AD-like users, nested groups,
 * a size limit of 50 below the 126 people), over the egress policy with exactly the server's
 * ports allowed, the secrets service stood in for by a table.
 */
const SECRET_ID = 'b3c1f0e2-7a4d-4e8b-9c21-5d6e7f8a9b0c';
const TENANT_ID = '0d7e6f5a-4b3c-4d2e-8f1a-9b8c7d6e5f40';
let slapd: RunningSlapd;
let source: LdapDirectorySource;
let password = '';

function service(settings: Partial<LdapDirectorySettings>): SourceService {
  return {
    tenantId: TENANT_ID,
    id: 'c2f3e4d5-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
    name: 'Contoso AD',
    type: 'ldap',
    settings: {
      serverName: '127.0.0.1',
      port: slapd.ports.ldaps,
      protocol: 'ldap-ssl',
      credentialsSecretId: SECRET_ID,
      baseDn: slapd.directory.suffix,
      pageSize: 40,
      ...settings,
    },
  };
}

beforeAll(async () => {
  slapd = await startSlapd();
  password = slapd.directory.readerPassword;
  const secrets = {
    resolve: (_tenant: string, id: string): Promise<ResolvedSecret | undefined> =>
      Promise.resolve(
        id === SECRET_ID ? { id, type: 'basic', username: slapd.directory.readerDn, password } : undefined,
      ),
  } as unknown as SecretsClient;
  source = new LdapDirectorySource(
    secrets,
    new Egress(EgressPolicy.fromEntries(slapd.egressAllowance.split(','))),
  );
});

afterAll(async () => {
  await slapd?.stop();
});

describe('the ldap directory source against slapd', () => {
  it('reads every user with an address through pages, more than the size limit, with AD conventions', async () => {
    const before = slapd.searches().length;
    const entries = await source.list(service({}));
    const { staff, contractors } = slapd.directory;
    expect(entries).toHaveLength(staff.length + contractors.length);
    const pages = await waitFor(
      () => slapd.searches().length >= before + 4 && slapd.searches().slice(before),
      {
        description: 'the pages logged',
      },
    );
    expect(pages.map((page) => page.entries)).toEqual([40, 40, 40, 6]);

    const byAddress = new Map(entries.map((entry) => [entry.primaryAddress, entry]));
    expect(byAddress.get('adele.vance@contoso.com')).toEqual({
      externalId: staff[0]?.objectGuid,
      primaryAddress: 'adele.vance@contoso.com',
      displayName: 'Adele Vance',
      secondaryAddresses: ['adele@contoso.com', 'AdeleV@contoso.onmicrosoft.com'],
      enabled: true,
    });
    expect(byAddress.get('alex.wilber@contoso.com')).toMatchObject({ enabled: false });
    expect(byAddress.get('bianca.pisani@fabrikam.com')).toMatchObject({
      externalId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ) as unknown,
      secondaryAddresses: ['bianca@fabrikam.com'],
      displayName: 'Bianca Pisani (Fabrikam)',
    });
    expect(entries.some((entry) => entry.displayName === 'WS-0042')).toBe(false);
  });

  it('keeps a group’s members, nested groups included, over StartTLS and over plain LDAP', async () => {
    const scope = slapd.directory.groups.find((group) => group.cn === 'Archive-Scope')?.dn;
    // The users' base DN need not hold the groups (ou=Staff here, the groups in ou=Groups).
    for (const protocol of ['ldap-tls', 'ldap'] as const) {
      const entries = await source.list(
        service({
          protocol,
          port: slapd.ports.ldap,
          groupDn: scope,
          baseDn: `ou=Staff,${slapd.directory.suffix}`,
        }),
      );
      expect(entries.map((entry) => entry.primaryAddress).sort()).toEqual([
        'adele.vance@contoso.com',
        'diego.siciliani@contoso.com',
        'megan.bowen@contoso.com',
      ]);
    }
  });

  it('tests bind and search step by step', async () => {
    const result = await source.test(
      service({ protocol: 'ldap-tls', port: slapd.ports.ldap, groupDn: slapd.directory.groups[1]?.dn }),
    );
    expect(withoutTimings(result)).toMatchObject({
      success: true,
      steps: [
        { name: 'connect', status: 'ok', detail: `127.0.0.1:${slapd.ports.ldap}` },
        { name: 'start tls', status: 'ok' },
        { name: 'bind', status: 'ok', detail: `as ${slapd.directory.readerDn}` },
        { name: 'find group', status: 'ok', detail: 'memberOf of the group and 1 nested group(s)' },
        {
          name: 'search',
          status: 'ok',
          detail: expect.stringMatching(/^first entry: cn=.*@contoso\.com\)$/) as unknown,
        },
      ],
    });
  });

  it('classifies what goes wrong: password, base DN, group, certificate, egress', async () => {
    const category = async (settings: Partial<LdapDirectorySettings>, sourceToUse = source) =>
      (await sourceToUse.test(service(settings))).error?.category;

    password = 'not-the-password';
    try {
      expect(await category({})).toBe('authentication');
      const failed = await contractFailure(source.list(service({})));
      expect(failed).toMatchObject({ code: 'RULE_VIOLATION', reason: 'directory_source_authentication' });
      expect(failed.message).toContain('Code: 0x31');
    } finally {
      password = slapd.directory.readerPassword;
    }
    expect(await category({ baseDn: `ou=Nowhere,${slapd.directory.suffix}` })).toBe('configuration');
    expect(await category({ groupDn: `cn=Nope,ou=Groups,${slapd.directory.suffix}` })).toBe('configuration');
    expect(await category({ filter: '(objectClass=user' })).toBe('configuration');

    // A name the certificate does not carry, resolved to the server: refused unless the service says so.
    const misnamed = new LdapDirectorySource(
      (source as unknown as { secrets: SecretsClient }).secrets,
      new Egress(EgressPolicy.fromEntries(slapd.egressAllowance.split(',')), () =>
        Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
      ),
    );
    expect(await category({ serverName: 'dc01.contoso.com' }, misnamed)).toBe('tls');
    expect(
      await category({ serverName: 'dc01.contoso.com', ignoreTlsCertificateErrors: true }, misnamed),
    ).toBe(undefined);

    const defaultPolicy = new LdapDirectorySource(
      (source as unknown as { secrets: SecretsClient }).secrets,
      new Egress(),
    );
    expect(await category({}, defaultPolicy)).toBe('configuration');
  });
});
