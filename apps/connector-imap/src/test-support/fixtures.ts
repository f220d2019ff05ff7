/**
 * Test fixtures of this app's integration tests (excluded from the build, see tsconfig.app.json):
 * profiles, mailboxes and secrets as the services would answer them, and the archive events a
 * task produced. Nothing here talks to IMAP.
 */
import { randomUUID } from 'node:crypto';

import type { ArchivingProfile, ResolvedSecret } from '@mailkeep/contracts';

// Shared by every connector's tests.
export {
  archiveCommand,
  findTaskFinished,
  mailboxPayload as mailbox,
  storedArchivedEvents,
} from '@mailkeep/testing';

export function imapProfile(overrides: Partial<ArchivingProfile> = {}): ArchivingProfile {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name: `imap ${randomUUID()}`,
    type: 'imap',
    mode: 'single',
    credentialsSecretId: randomUUID(),
    mailboxId: randomUUID(),
    deleteInSource: false,
    serverName: '127.0.0.1',
    protocol: 'imap-ssl',
    // Ten seconds: far above what a local Dovecot needs, far below the test timeout.
    timeoutSeconds: 10,
    // The harness's certificate is self-signed; only the TLS tests check it.
    ignoreTlsCertificateErrors: true,
    folders: { include: [], exclude: [], excludeDefaults: true },
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function basicSecret(username: string, password: string, id: string = randomUUID()): ResolvedSecret {
  return { id, type: 'basic', username, password };
}

/** `imap:<folder>:<uidvalidity>:<uid>` split from the right (folder names may hold colons). */
export function parseSourceIdentity(identity: string): { folder: string; uidValidity: number; uid: number } {
  const match = /^imap:(.*):(\d+):(\d+)$/.exec(identity);
  if (!match) throw new Error(`not an IMAP source identity: ${identity}`);
  return { folder: match[1] as string, uidValidity: Number(match[2]), uid: Number(match[3]) };
}
