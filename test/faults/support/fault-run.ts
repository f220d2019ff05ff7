import { createHash, randomBytes, randomUUID } from 'node:crypto';

import type { PlatformProcesses, RunningDovecot } from '@mailkeep/testing';
import { waitFor } from '@mailkeep/testing';
import { expect } from 'vitest';

import { archiveApi, type RunBody } from '../../support/archive-api.js';

/** A run of the fault tests ends within this, kills, restarts and redeliveries included. */
const RUN_TIMEOUT_MS = 150_000;

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export interface FaultSession {
  readonly platform: PlatformProcesses;
  readonly dovecot: RunningDovecot;
  readonly bootstrapKey: string;
  readonly tenant: string;
  readonly adminKey: string;
}

/**
 * What every fault test does: a mailbox with mail on Dovecot and a profile for it, a run started
 * through the REST API with a fault in its middle, and the exactly-once check against the source.
 */
export function faultRun(session: () => FaultSession) {
  const api = archiveApi(() => ({ ...session(), baseUrl: session().platform.baseUrl }));

  /** `count` distinct messages of ~120 KB (so a run lasts seconds) in the user's INBOX. */
  async function deliverMail(user: string, count: number): Promise<void> {
    const { dovecot } = session();
    dovecot.addUser(user, `${user}-pass`);
    for (let i = 0; i < count; i++) {
      const body = randomBytes(90_000).toString('base64').replace(/.{76}/g, '$&\r\n');
      const raw = Buffer.from(
        `From: Sender ${i} <sender${i}@example.org>\r\nTo: ${user}@example.com\r\n` +
          `Subject: Quarterly figures ${i}\r\nMessage-ID: <${randomUUID()}@example.org>\r\n` +
          `Date: Mon, 7 Dec 2026 10:${String(i % 60).padStart(2, '0')}:00 +0000\r\n\r\n${body}\r\n`,
      );
      await dovecot.deliver(user, 'INBOX', raw);
    }
  }

  /** A mailbox for the Dovecot user, an IMAP (or POP3) profile and a schedule for it. */
  async function profileFor(
    user: string,
    protocol: 'imap' | 'pop3-delete',
  ): Promise<{ mailboxId: string; scheduleId: string }> {
    const { dovecot } = session();
    const secret = await api.created<{ id: string }>('/secrets', {
      name: `${user} at dovecot`,
      type: 'basic',
      username: user,
      password: `${user}-pass`,
    });
    const mailbox = await api.created<{ id: string }>('/mailboxes', {
      primaryAddress: `${user}@example.com`,
    });
    const server =
      protocol === 'imap'
        ? { type: 'imap', port: dovecot.ports.imaps, protocol: 'imap-ssl' }
        : { type: 'pop3', port: dovecot.ports.pop3s, protocol: 'pop-ssl', deleteInSource: true };
    const profile = await api.created<{ id: string }>('/archiving-profiles', {
      name: `${user} ${protocol}`,
      mode: 'single',
      credentialsSecretId: secret.id,
      mailboxId: mailbox.id,
      serverName: '127.0.0.1',
      ignoreTlsCertificateErrors: true,
      timeoutSeconds: 30,
      ...server,
    });
    const schedule = await api.created<{ id: string }>(`/archiving-profiles/${profile.id}/schedules`, {
      name: `${user} nightly`,
      timezone: 'UTC',
      recurrence: { type: 'daily', times: ['02:00'] },
    });
    return { mailboxId: mailbox.id, scheduleId: schedule.id };
  }

  async function getRun(runId: string): Promise<RunBody> {
    const run = await api.call<RunBody>('GET', `/tenants/${session().tenant}/runs/${runId}`);
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    return run.body;
  }

  /**
   * Starts a run, waits until its first messages are archived, applies the fault, and waits until
   * the run has ended by itself (the api may not answer during the fault: reads are retried).
   */
  async function runThrough(scheduleId: string, fault: () => Promise<void>): Promise<RunBody> {
    const started = await api.call<RunBody>(
      'POST',
      `/tenants/${session().tenant}/schedules/${scheduleId}/run`,
    );
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const runId = started.body.id;
    await waitFor(async () => ((await getRun(runId)).counters.messagesArchived ?? 0) > 0, {
      timeoutMs: 60_000,
      description: 'the first messages archived',
    });
    await fault();
    return waitFor(
      async () => {
        const run = await getRun(runId).catch(() => undefined);
        return run?.finishedAt ? run : undefined;
      },
      { timeoutMs: RUN_TIMEOUT_MS, intervalMs: 500, description: `run ${runId} finished` },
    );
  }

  /**
   * Exactly once against the source: the catalog holds each message of `source` (SHA-256 of what
   * the server sends) once — no duplicate row, none missing — and each downloads hash-equal.
   */
  async function expectExactlyOnce(mailboxId: string, source: ReadonlySet<string>): Promise<void> {
    const messages = await waitFor(
      async () => {
        const listed = await api.catalogued(mailboxId);
        return listed.length >= source.size ? listed : undefined;
      },
      { timeoutMs: 60_000, description: `${source.size} messages catalogued` },
    );
    expect(messages).toHaveLength(source.size);
    expect(new Set(messages.map((m) => m.sha256))).toEqual(source);
    for (const message of messages) {
      const raw = await api.download(message.id);
      expect(raw.status).toBe(200);
      expect(sha256(raw.bytes)).toBe(message.sha256);
    }
  }

  /** SHA-256 of each INBOX message as IMAP sends it. */
  async function imapSource(user: string): Promise<Set<string>> {
    const { dovecot } = session();
    const hashes = new Set<string>();
    for (const m of await dovecot.list(user, 'INBOX'))
      hashes.add(sha256(await dovecot.rawSource(user, 'INBOX', m.uid)));
    return hashes;
  }

  /** SHA-256 of each INBOX message as POP3 RETR sends it. */
  async function pop3Source(user: string): Promise<Set<string>> {
    const { dovecot } = session();
    const hashes = new Set<string>();
    for (const m of await dovecot.list(user, 'INBOX'))
      hashes.add(sha256(await dovecot.pop3Source(user, m.uid)));
    return hashes;
  }

  return { deliverMail, profileFor, runThrough, expectExactlyOnce, imapSource, pop3Source };
}
