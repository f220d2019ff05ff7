/**
 * Test fixtures of this app's integration tests (excluded from the build, see tsconfig.app.json):
 * an exchange profile as the profiles service would answer it. The rest is in @mailkeep/testing.
 */
import { randomUUID } from 'node:crypto';

import type { ArchivingProfile } from '@mailkeep/contracts';

export function exchangeProfile(overrides: Partial<ArchivingProfile> = {}): ArchivingProfile {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name: `exchange ${randomUUID()}`,
    type: 'exchange',
    mode: 'single',
    credentialsSecretId: randomUUID(),
    mailboxId: randomUUID(),
    deleteInSource: false,
    serverName: '127.0.0.1',
    timeoutSeconds: 20,
    folders: { include: [], exclude: [], excludeDefaults: true },
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
