import { PROFILE_TYPES, type ProfileMode, type ProfileType } from '@mailkeep/contracts';

import { isPropertyUsed, PROPERTY_TABLE } from './profile-rules.js';

/** Profiles for the unit tests of the rules and of the replies: valid values, minimal profiles. */
export const SECRET = '11111111-1111-4111-8111-111111111111';
const MAILBOX = '22222222-2222-4222-8222-222222222222';
const DIRECTORY = '33333333-3333-4333-8333-333333333333';
const GUID = '44444444-4444-4444-8444-444444444444';

/** A valid value for each type-specific property of a type. */
export function validValue(property: string, type: ProfileType): unknown {
  const values: Record<string, unknown> = {
    mailboxId: MAILBOX,
    directoryServiceId: DIRECTORY,
    serverName: 'mail.example.com',
    port: 993,
    protocol: type === 'pop3' ? 'pop-ssl' : 'imap-ssl',
    timeoutSeconds: 120,
    sourceMailbox: 'journal@example.com',
    applicationId: GUID,
    directoryId: GUID,
    ignoreTlsCertificateErrors: true,
    folders: { include: ['INBOX'], exclude: ['Archive/Old'], excludeDefaults: true },
  };
  return values[property];
}

export function minimal(type: ProfileType, mode: ProfileMode): Record<string, unknown> {
  const profile: Record<string, unknown> = { name: 'P', type, mode, credentialsSecretId: SECRET };
  for (const [property, row] of Object.entries(PROPERTY_TABLE)) {
    if (isPropertyUsed(property, type, mode) && row[type]?.use === 'required')
      profile[property] = validValue(property, type);
  }
  return profile;
}

export const combinations = PROFILE_TYPES.flatMap((type) =>
  (['single', 'multiple'] as const)
    .filter((mode) => !(type === 'pop3' && mode === 'multiple'))
    .map((mode) => [type, mode] as const),
);
