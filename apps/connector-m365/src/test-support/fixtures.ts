/**
 * Test fixtures of this app's integration tests (excluded from the build, see tsconfig.app.json):
 * an m365 profile as the profiles service would answer it. The rest is in @mailkeep/testing.
 */
import { randomUUID } from 'node:crypto';

import type { ArchivingProfile } from '@mailkeep/contracts';

export function m365Profile(overrides: Partial<ArchivingProfile> = {}): ArchivingProfile {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name: `m365 ${randomUUID()}`,
    type: 'm365',
    mode: 'single',
    credentialsSecretId: randomUUID(),
    mailboxId: randomUUID(),
    deleteInSource: false,
    applicationId: randomUUID(),
    directoryId: randomUUID(),
    folders: { include: [], exclude: [], excludeDefaults: true },
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
