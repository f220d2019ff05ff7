/**
 * Test fixtures of this app's integration tests (excluded from the build, see tsconfig.app.json):
 * an exchange profile as the profiles service would answer it. The rest is in @mailkeep/testing.
 */
import { randomUUID } from 'node:crypto';

import type { ArchivingProfile } from '@mailkeep/contracts';
import { type RunningEwsFake, startEwsFake } from '@mailkeep/testing';

/** The password of the fake's service account `CONTOSO\svc-archive` (`svc-archive@contoso.example`). */
export const SERVICE_PASSWORD = 'Winter2026!archive';

/** The EWS fake with the service account the tests log in as, impersonating `impersonates` (default all). */
export async function startFakeWithServiceAccount(impersonates?: readonly string[]): Promise<RunningEwsFake> {
  const fake = await startEwsFake();
  fake.addServiceAccount({
    userName: 'svc-archive',
    userPrincipalName: 'svc-archive@contoso.example',
    password: SERVICE_PASSWORD,
    ...(impersonates && { impersonates }),
  });
  return fake;
}

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
