import { describe, expect, it } from 'vitest';

import { entryOfWorkspaceUser, type WorkspaceUser } from './workspace-user.js';

/** A user as `users.list` answers it (projection basic), trimmed to the fields that matter here. */
const liz: WorkspaceUser = {
  id: '103817522963459207489',
  primaryEmail: 'liz@example.com',
  name: { givenName: 'Elizabeth', familyName: 'Smith', fullName: 'Elizabeth Smith' },
  suspended: false,
  archived: false,
  isMailboxSetup: true,
  aliases: ['elizabeth@example.com', 'LIZ@example.com'],
  nonEditableAliases: ['liz@example-alias.com', 'liz@example.com.test-google-a.com'],
};

describe('entryOfWorkspaceUser', () => {
  it('makes a user with Gmail an enabled entry, aliases and domain-alias addresses secondary, no repeats', () => {
    expect(entryOfWorkspaceUser(liz)).toEqual({
      externalId: '103817522963459207489',
      primaryAddress: 'liz@example.com',
      displayName: 'Elizabeth Smith',
      secondaryAddresses: [
        'elizabeth@example.com',
        'liz@example-alias.com',
        'liz@example.com.test-google-a.com',
      ],
      enabled: true,
    });
  });

  it('keeps suspended and archived users as disabled entries', () => {
    expect(entryOfWorkspaceUser({ ...liz, suspended: true })).toMatchObject({
      primaryAddress: 'liz@example.com',
      enabled: false,
    });
    expect(entryOfWorkspaceUser({ ...liz, archived: true })).toMatchObject({ enabled: false });
  });

  it('leaves out users without a Gmail mailbox', () => {
    expect(entryOfWorkspaceUser({ ...liz, isMailboxSetup: false })).toBeUndefined();
  });

  it('prefers the display name a person set, then the full name, then given and family name', () => {
    expect(
      entryOfWorkspaceUser({ ...liz, name: { ...liz.name, displayName: 'Liz (Finance)' } })?.displayName,
    ).toBe('Liz (Finance)');
    expect(
      entryOfWorkspaceUser({ ...liz, name: { givenName: 'Elizabeth', familyName: 'Smith' } })?.displayName,
    ).toBe('Elizabeth Smith');
    expect(
      entryOfWorkspaceUser({ id: '110248495921238986420', primaryEmail: 'scanner@example.com' }),
    ).toEqual({
      externalId: '110248495921238986420',
      primaryAddress: 'scanner@example.com',
      displayName: '',
      secondaryAddresses: [],
      enabled: true,
    });
  });
});
