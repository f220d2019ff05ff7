import { describe, expect, it } from 'vitest';

import { entryOfUser, parseProxyAddresses } from './entra-user.js';

describe('Entra ID users as directory entries', () => {
  it('takes SMTP: as primary and smtp: as secondaries, ignoring other address types', () => {
    expect(
      parseProxyAddresses([
        'smtp:adele.vance@contoso.com',
        'SIP:AdeleV@contoso.onmicrosoft.com',
        'SMTP:AdeleV@contoso.onmicrosoft.com',
        'X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=adele',
        'smtp:AdeleV@contoso.mail.onmicrosoft.com',
      ]),
    ).toEqual({
      primary: 'AdeleV@contoso.onmicrosoft.com',
      secondaries: ['adele.vance@contoso.com', 'AdeleV@contoso.mail.onmicrosoft.com'],
    });
  });

  it('makes a member with a mailbox an entry, its primary not repeated among the secondaries', () => {
    expect(
      entryOfUser({
        id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
        displayName: 'Adele Vance',
        mail: 'AdeleV@contoso.onmicrosoft.com',
        userPrincipalName: 'AdeleV@contoso.onmicrosoft.com',
        userType: 'Member',
        proxyAddresses: [
          'SMTP:AdeleV@contoso.onmicrosoft.com',
          'smtp:adelev@CONTOSO.onmicrosoft.com',
          'smtp:adele@contoso.com',
        ],
      }),
    ).toEqual({
      externalId: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
      primaryAddress: 'AdeleV@contoso.onmicrosoft.com',
      displayName: 'Adele Vance',
      secondaryAddresses: ['adele@contoso.com'],
    });
  });

  it('uses mail when the user has no proxy addresses', () => {
    expect(
      entryOfUser({
        id: '6e7b768e-07e2-4810-8459-485f84f8f204',
        displayName: null,
        mail: 'AlexW@contoso.com',
        proxyAddresses: [],
      }),
    ).toMatchObject({ primaryAddress: 'AlexW@contoso.com', displayName: '', secondaryAddresses: [] });
  });

  it('leaves out guests and users without a mailbox', () => {
    expect(
      entryOfUser({
        id: '2c8a3e9f-6b1d-4f7a-9e2c-8d5b4a3f1e60',
        mail: 'partner@fabrikam.com',
        userPrincipalName: 'partner_fabrikam.com#EXT#@contoso.onmicrosoft.com',
        userType: 'Guest',
        proxyAddresses: ['SMTP:partner@fabrikam.com'],
      }),
    ).toBeUndefined();
    expect(
      entryOfUser({
        id: 'c1f3e5a7-9b2d-4e6f-8a0c-2e4f6a8b0c1d',
        mail: null,
        userPrincipalName: 'svc-print@contoso.onmicrosoft.com',
        userType: 'Member',
      }),
    ).toBeUndefined();
  });
});
