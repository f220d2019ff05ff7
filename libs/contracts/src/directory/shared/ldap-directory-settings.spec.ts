import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';

import { LdapDirectorySettings, ldapSettingChecks } from './ldap-directory-settings.js';

const { isServerName, isDn, isLdapFilter } = ldapSettingChecks;

describe('ldap directory settings', () => {
  it('takes host names and IP literals, never a URL, a port or a path', () => {
    for (const good of [
      'dc01.contoso.com',
      'DC01',
      '10.0.0.5',
      '2001:db8::10',
      '[2001:db8::10]',
      'ldap.bücher.de',
    ])
      expect(isServerName(good), good).toBe(true);
    for (const bad of [
      'ldaps://dc01.contoso.com',
      'dc01:636',
      'dc01.contoso.com/ou=x',
      'admin@dc01',
      'dc 01',
      '-dc',
      '',
    ])
      expect(isServerName(bad), bad).toBe(false);
  });

  it('takes distinguished names (escaped commas too) and RFC 4515 filters in parentheses', () => {
    expect(isDn('CN=Smith\\, John,OU=Staff,DC=contoso,DC=com')).toBe(true);
    expect(isDn('ou=People, dc=example, dc=org')).toBe(true);
    expect(isDn('contoso.com')).toBe(false);
    expect(isDn('cn=a,,dc=b')).toBe(false);
    expect(isLdapFilter('(&(objectCategory=person)(objectClass=user)(!(cn=a\\29b)))')).toBe(true);
    expect(isLdapFilter('objectClass=user')).toBe(false);
    expect(isLdapFilter('(objectClass=user')).toBe(false);
    expect(isLdapFilter('(a=1)(b=2)')).toBe(false);
  });

  it('names every field that does not fit', () => {
    const errors = validateSync(
      plainToInstance(LdapDirectorySettings, {
        serverName: 'dc01:389',
        port: 70000,
        protocol: 'ldaps',
        credentialsSecretId: 'not-a-uuid',
        baseDn: 'DC=contoso,DC=com',
        mailAttribute: 'mail;lang-en',
        pageSize: 0,
        timeoutSeconds: 5,
      }),
    );
    expect(errors.map((e) => e.property).sort()).toEqual([
      'credentialsSecretId',
      'mailAttribute',
      'pageSize',
      'port',
      'protocol',
      'serverName',
      'timeoutSeconds',
    ]);
  });
});
