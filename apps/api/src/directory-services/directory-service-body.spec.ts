import { describe, expect, it } from 'vitest';

import { flatView, splitSettings } from './directory-service-body.js';

const SECRET_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const APPLICATION_ID = '9a0c0305-e82c-4f89-11d3-3f2504e04f89';
const DIRECTORY_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('directory-service bodies', () => {
  it('moves every type-specific field of a flat body into settings, the common ones stay', () => {
    expect(
      splitSettings({
        tenantId: DIRECTORY_ID,
        name: 'Contoso',
        type: 'm365',
        disableMissing: true,
        credentialsSecretId: SECRET_ID,
        applicationId: APPLICATION_ID,
        directoryId: DIRECTORY_ID,
        serverName: 'ldap.contoso.com',
        groupId: null,
      }),
    ).toEqual({
      tenantId: DIRECTORY_ID,
      name: 'Contoso',
      type: 'm365',
      disableMissing: true,
      settings: {
        credentialsSecretId: SECRET_ID,
        applicationId: APPLICATION_ID,
        directoryId: DIRECTORY_ID,
        serverName: 'ldap.contoso.com',
        groupId: null,
      },
    });
    expect(splitSettings({ name: 'Head office', type: 'static' })).toEqual({
      name: 'Head office',
      type: 'static',
    });
  });

  it('shows the settings next to type, never nested', () => {
    const view = flatView({
      id: '0f5c2a5e-3a8e-4c55-9b8e-1d0f3c7a9e11',
      name: 'Contoso',
      description: '',
      type: 'm365',
      settings: { credentialsSecretId: SECRET_ID, applicationId: APPLICATION_ID, directoryId: DIRECTORY_ID },
      disableMissing: false,
      memberCount: 3,
      createdAt: '2026-12-07T06:00:00.000Z',
      updatedAt: '2026-12-07T06:00:00.000Z',
    });
    expect(view).toMatchObject({ type: 'm365', applicationId: APPLICATION_ID, memberCount: 3 });
    expect(view).not.toHaveProperty('settings');
  });
});
