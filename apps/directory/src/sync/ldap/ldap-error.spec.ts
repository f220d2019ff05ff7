import { ContractError } from '@mailkeep/contracts';
import { AdminLimitExceededError, BusyError, InvalidCredentialsError, NoSuchObjectError } from 'ldapts';
import { describe, expect, it } from 'vitest';

import { classifyLdapError, ldapSourceError } from './ldap-error.js';

describe('LDAP failures', () => {
  it('names the category a person fixes: credentials, settings, the server’s state', () => {
    const ad49 = new InvalidCredentialsError(
      '80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v4563',
    );
    expect(classifyLdapError(ad49)).toMatchObject({ category: 'authentication' });
    expect(classifyLdapError(ad49).serverMessage).toContain('data 52e');
    expect(classifyLdapError(new NoSuchObjectError())).toMatchObject({ category: 'configuration' });
    expect(classifyLdapError(new AdminLimitExceededError()).message).toContain('pageSize');
    expect(ldapSourceError(new BusyError())).toMatchObject({ code: 'THROTTLED' });
    expect(
      ldapSourceError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toMatchObject({
      code: 'UNAVAILABLE',
    });
    const gone = new ContractError(
      'RULE_VIOLATION',
      'The secret of directory service "Contoso AD" no longer exists',
    );
    expect(classifyLdapError(gone)).toMatchObject({ category: 'configuration' });
    expect(ldapSourceError(gone)).toBe(gone);
  });
});
