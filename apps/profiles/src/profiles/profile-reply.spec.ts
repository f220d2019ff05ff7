import { randomUUID } from 'node:crypto';

import { PROFILE_CREATE_V1, PROFILE_UPDATE_V1 } from '@mailkeep/contracts';
import { assertValidReply } from '@mailkeep/messaging';
import { describe, expect, it } from 'vitest';

import { combinations, minimal, validValue } from './profile-fixtures.js';
import { isPropertyUsed, PROPERTY_TABLE, validateProfile } from './profile-rules.js';
import { toArchivingProfile, toEntity } from './profiles.service.js';

/**
 * Issue 19 for the profiles: on the bus a profile is free-form (`Record<string, unknown>`), checked
 * by the profile rules; its reply is the `ArchivingProfile` class. Every value the rules accept,
 * edge values included, must make a reply that class accepts, for every cell of the table, or a
 * create would be stored and then refused.
 */
const EDGE_VALUES: Record<string, readonly unknown[]> = {
  name: ['N', 'x'.repeat(200), 'é'.repeat(200), '📧'.repeat(100), '  Journal – Zürich 東京  '],
  applicationId: [
    '9a0c0305-e82c-4f89-11d3-3f2504e04f89', // Entra GUID outside RFC 4122 (the defect of issue 19)
    '9A0C0305-E82C-4F89-11D3-3F2504E04F89',
    '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
    ' 04b07795-8ddb-461a-bbee-02f9e1bf7b46 ',
    '00000000-0000-0000-0000-000000000000',
  ],
  directoryId: [
    '6f1d9b2e-3c4a-0d5e-c8f7-2a1b3c4d5e6f',
    '72F988BF-86F1-41AF-91AB-2D7CD011DB47',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
  ],
  // References must name an existing object (P9, checked against the directory service, whose ids
  // are v4 UUIDs it generated), so only spellings of such ids reach a reply.
  mailboxId: ['22222222-2222-4222-8222-222222222222'.toUpperCase()],
  directoryServiceId: ['33333333-3333-4333-8333-333333333333'.toUpperCase()],
  serverName: [
    'imap.bücher.example',
    '2001:db8::7',
    '[2001:db8::7]',
    '192.0.2.7',
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
    'mail.example.com.',
  ],
  port: [0, 1, 65535],
  timeoutSeconds: [10, 600],
  sourceMailbox: ['jörg@bücher.example', ' Journal@Example.COM ', `${'j'.repeat(64)}@example.com`],
  ignoreTlsCertificateErrors: [true, false],
  folders: [
    { include: [], exclude: [], excludeDefaults: false },
    { include: ['Posteingang/Entwürfe', '受信トレイ'], exclude: ['x'.repeat(1000)], excludeDefaults: true },
    {},
  ],
};

describe('every profile the rules accept makes a valid reply (issue 19)', () => {
  it.each(combinations)('%s/%s', async (type, mode) => {
    const tried: string[] = [];
    // The edge values, and the fixtures' valid value of every property (a new property needs only that).
    const properties = new Set([...Object.keys(EDGE_VALUES), ...Object.keys(PROPERTY_TABLE)]);
    for (const property of properties) {
      const used = !(property in PROPERTY_TABLE) || isPropertyUsed(property, type, mode);
      if (!used) continue;
      const values = [
        ...(EDGE_VALUES[property] ?? []),
        ...(property in PROPERTY_TABLE ? [validValue(property, type)] : []),
      ];
      for (const value of values) {
        const outcome = validateProfile({ ...minimal(type, mode), [property]: value });
        if (!outcome.ok) continue;
        tried.push(property);
        const now = new Date();
        const entity = toEntity(outcome.profile, {
          id: randomUUID(),
          tenantId: randomUUID(),
          version: 1,
          createdAt: now,
          updatedAt: now,
        });
        for (const contract of [PROFILE_CREATE_V1, PROFILE_UPDATE_V1]) {
          await expect(
            assertValidReply(contract, toArchivingProfile(entity)),
            `${property}=${JSON.stringify(value)}`,
          ).resolves.toBeDefined();
        }
      }
    }
    // Not vacuous: the name and every property the cell uses got at least one accepted value.
    const usedProperties = Object.keys(PROPERTY_TABLE).filter((p) => isPropertyUsed(p, type, mode));
    expect(new Set(tried)).toEqual(new Set(['name', ...usedProperties]));
  });
});
