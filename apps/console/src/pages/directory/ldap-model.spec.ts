import { describe, expect, it } from 'vitest';

import { bodyOf, draftOf } from './directory-model';

describe('the ldap directory form', () => {
  const draft = {
    ...draftOf(null),
    name: 'Contoso AD',
    type: 'ldap' as const,
    credentialsSecretId: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  };

  it('sends the ldap fields only, numbers as numbers, and leaves empty optional ones out on create', () => {
    expect(
      bodyOf(
        {
          ...draft,
          ldap: {
            ...draft.ldap,
            serverName: ' dc01.contoso.com ',
            baseDn: 'DC=contoso,DC=com',
            pageSize: '1000',
          },
        },
        'create',
      ),
    ).toEqual({
      name: 'Contoso AD',
      description: '',
      type: 'ldap',
      disableMissing: false,
      credentialsSecretId: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      serverName: 'dc01.contoso.com',
      port: undefined,
      protocol: 'ldap-ssl',
      baseDn: 'DC=contoso,DC=com',
      filter: undefined,
      mailAttribute: undefined,
      displayNameAttribute: undefined,
      groupDn: undefined,
      pageSize: 1000,
      timeoutSeconds: undefined,
      ignoreTlsCertificateErrors: false,
    });
  });

  it('removes an emptied optional field on edit, and sends a mistyped number as typed for the API to name', () => {
    const body = bodyOf({ ...draft, ldap: { ...draft.ldap, groupDn: ' ', port: '63a6' } }, 'edit');
    expect(body).toMatchObject({ groupDn: null, filter: null, port: '63a6' });
    expect(body).not.toHaveProperty('applicationId');
  });
});
