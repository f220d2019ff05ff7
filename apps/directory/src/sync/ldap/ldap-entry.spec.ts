import { describe, expect, it } from 'vitest';

import { entryOfLdapUser, requestedAttributes, windowsGuid } from './ldap-entry.js';
import { escapeFilterValue, nestedGroupsFilter, usersFilter } from './ldap-filter.js';

const MAP = { mail: 'mail', displayName: 'displayName' };
/** objectGUID of a user whose GUID Windows shows as 6f9619ff-8b86-d011-b42d-00c04fc964ff. */
const AD_GUID_BYTES = Buffer.from('ff19966f868b11d0b42d00c04fc964ff', 'hex');

describe('LDAP entries as directory entries', () => {
  it('reads an AD user: SMTP: primary, smtp: and extra mail secondary, objectGUID as Windows shows it', () => {
    expect(
      entryOfLdapUser(
        {
          dn: 'CN=Adele Vance,OU=Staff,DC=contoso,DC=com',
          // AD answers attribute names in its schema's case, whatever case was asked for.
          Mail: 'adele.vance@contoso.com',
          displayName: 'Adele Vance',
          proxyAddresses: [
            'smtp:adele@contoso.com',
            'SIP:adele.vance@contoso.com',
            'SMTP:Adele.Vance@contoso.com',
            'X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=adelev',
          ],
          userAccountControl: '66048',
          objectGUID: AD_GUID_BYTES,
        },
        MAP,
      ),
    ).toEqual({
      externalId: '6f9619ff-8b86-d011-b42d-00c04fc964ff',
      primaryAddress: 'Adele.Vance@contoso.com',
      displayName: 'Adele Vance',
      secondaryAddresses: ['adele@contoso.com'],
      enabled: true,
    });
  });

  it('makes an account with the ACCOUNTDISABLE bit a disabled mailbox', () => {
    expect(
      entryOfLdapUser(
        {
          dn: 'cn=Alex Wilber,ou=Staff,dc=contoso,dc=com',
          mail: 'alex.wilber@contoso.com',
          userAccountControl: '514',
        },
        MAP,
      ),
    ).toMatchObject({ enabled: false, displayName: '' });
  });

  it('reads an OpenLDAP person: first mail primary, the others secondary, entryUUID as id, cn as name', () => {
    expect(
      entryOfLdapUser(
        {
          dn: 'cn=Bianca Pisani,ou=Contractors,dc=contoso,dc=com',
          cn: 'Bianca Pisani',
          mail: ['bianca.pisani@fabrikam.com', 'bianca@fabrikam.com'],
          entryUUID: '80C0ADE6-867B-1041-8AA7-9F89BAA434E3',
        },
        MAP,
      ),
    ).toEqual({
      externalId: '80c0ade6-867b-1041-8aa7-9f89baa434e3',
      primaryAddress: 'bianca.pisani@fabrikam.com',
      displayName: 'Bianca Pisani',
      secondaryAddresses: ['bianca@fabrikam.com'],
    });
  });

  it('leaves out entries without an address, and falls back to the DN without a stable id', () => {
    expect(
      entryOfLdapUser({ dn: 'cn=WS-0042,ou=Staff,dc=contoso,dc=com', cn: 'WS-0042' }, MAP),
    ).toBeUndefined();
    expect(
      entryOfLdapUser({ dn: 'uid=Jdoe,ou=People,dc=example,dc=org', mail: 'jdoe@example.org' }, MAP)
        ?.externalId,
    ).toBe('dn:uid=jdoe,ou=people,dc=example,dc=org');
  });

  it('asks for each attribute once, mapped ones included', () => {
    expect(requestedAttributes({ mail: 'mail', displayName: 'CN' })).toEqual([
      'mail',
      'CN',
      'proxyAddresses',
      'userAccountControl',
      'objectGUID',
      'entryUUID',
      'nsUniqueId',
      'ipaUniqueID',
    ]);
    expect(windowsGuid(AD_GUID_BYTES)).toBe('6f9619ff-8b86-d011-b42d-00c04fc964ff');
  });
});

describe('LDAP filters', () => {
  it('escapes values (RFC 4515) and scopes users to a group the way the server can', () => {
    expect(escapeFilterValue('cn=R&D (Lab) \\* team')).toBe('cn=R&D \\28Lab\\29 \\5c\\2a team');
    expect(usersFilter({ filter: undefined, mailAttribute: 'mail' })).toBe(
      '(&(|(objectClass=user)(objectClass=inetOrgPerson))(mail=*))',
    );
    expect(
      usersFilter({
        filter: '(objectCategory=person)',
        mailAttribute: 'mail',
        scope: { kind: 'in-chain', groupDn: 'CN=Archive (EU),OU=Groups,DC=contoso,DC=com' },
      }),
    ).toBe(
      '(&(objectCategory=person)(mail=*)(memberOf:1.2.840.113556.1.4.1941:=CN=Archive \\28EU\\29,OU=Groups,DC=contoso,DC=com))',
    );
    expect(
      usersFilter({
        filter: '(objectClass=inetOrgPerson)',
        mailAttribute: 'mail',
        scope: { kind: 'member-of-any', groupDns: ['cn=a,dc=x', 'cn=b,dc=x'] },
      }),
    ).toBe('(&(objectClass=inetOrgPerson)(mail=*)(|(memberOf=cn=a,dc=x)(memberOf=cn=b,dc=x)))');
    expect(nestedGroupsFilter(['cn=a,dc=x'])).toBe(
      '(&(|(objectClass=group)(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))(|(memberOf=cn=a,dc=x)))',
    );
  });
});
