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

  /**
   * `count` distinct messages of ~120 KB (so a run lasts seconds) in the user's INBOX, written
   * into its Maildir at once (`deliver` runs doveadm per message: minutes for a fault file's mail
   * on a busy machine). The source hashes are still what the server sends (imapSource, pop3Source).
   */
  async function deliverMail(user: string, count: number): Promise<void> {
    const { dovecot } = session();
    dovecot.addUser(user, `${user}-pass`);
    const raws = Array.from({ length: count }, (_, i) => {
      const body = randomBytes(90_000).toString('base64').replace(/.{76}/g, '$&\r\n');
      return Buffer.from(
        `From: Sender ${i} <sender${i}@example.org>\r\nTo: ${user}@example.com\r\n` +
          `Subject: Quarterly figures ${i}\r\nMessage-ID: <${randomUUID()}@example.org>\r\n` +
          `Date: Mon, 7 Dec 2026 10:${String(i % 60).padStart(2, '0')}:00 +0000\r\n\r\n${body}\r\n`,
      );
    });
    await dovecot.deliverMany(user, raws);
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
    return finishedRun(runId);
  }

  /** Waits until the run has ended by itself (the api may not answer during a fault: reads are retried). */
  function finishedRun(runId: string): Promise<RunBody> {
    return waitFor(
      async () => {
        const run = await getRun(runId).catch(() => undefined);
        return run?.finishedAt ? run : undefined;
      },
      { timeoutMs: RUN_TIMEOUT_MS, intervalMs: 500, description: `run ${runId} finished` },
    );
  }

  /**
   * A static directory of the Dovecot users (each already has mail; named as full addresses), its
   * mailboxes, an IMAP profile in multiple mode logging in as Dovecot's master user, and a schedule.
   */
  async function directoryProfileFor(
    name: string,
    users: readonly string[],
  ): Promise<{ mailboxIds: string[]; scheduleId: string }> {
    const { dovecot } = session();
    const directory = await api.created<{ id: string }>('/directory-services', { name, type: 'static' });
    const mailboxIds: string[] = [];
    for (const user of users) {
      const mailbox = await api.created<{ id: string }>('/mailboxes', {
        primaryAddress: user,
        directoryServiceId: directory.id,
      });
      mailboxIds.push(mailbox.id);
    }
    const master = await api.created<{ id: string }>('/secrets', {
      name: `${name} master user`,
      type: 'basic',
      username: dovecot.masterUser.name,
      password: dovecot.masterUser.password,
    });
    const profile = await api.created<{ id: string }>('/archiving-profiles', {
      name: `${name} imap`,
      type: 'imap',
      mode: 'multiple',
      credentialsSecretId: master.id,
      directoryServiceId: directory.id,
      serverName: '127.0.0.1',
      port: dovecot.ports.imaps,
      protocol: 'imap-ssl',
      ignoreTlsCertificateErrors: true,
      timeoutSeconds: 30,
    });
    const schedule = await api.created<{ id: string }>(`/archiving-profiles/${profile.id}/schedules`, {
      name: `${name} nightly`,
      timezone: 'UTC',
      recurrence: { type: 'daily', times: ['03:00'] },
    });
    return { mailboxIds, scheduleId: schedule.id };
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

  /**
   * Issue 17 item 8: the run's counters are what the catalog holds for it, whatever was killed —
   * every message and byte of the mailbox archived by this run, none a duplicate, none failed (the
   * mailboxes are fresh). Call after expectExactlyOnce (the catalog has caught up).
   */
  async function expectExactCounters(
    run: RunBody,
    mailboxIds: string | readonly string[],
    messages: number,
  ): Promise<void> {
    const ours = [];
    for (const mailboxId of typeof mailboxIds === 'string' ? [mailboxIds] : mailboxIds)
      ours.push(...(await api.catalogued(mailboxId)).filter((message) => message.runId === run.id));
    expect(ours).toHaveLength(messages);
    expect(run.counters, JSON.stringify(run)).toMatchObject({
      messagesArchived: messages,
      bytesArchived: ours.reduce((sum, message) => sum + message.size, 0),
      duplicatesSkipped: 0,
      messagesFailed: 0,
    });
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

  return {
    api,
    deliverMail,
    profileFor,
    directoryProfileFor,
    getRun,
    finishedRun,
    runThrough,
    expectExactlyOnce,
    expectExactCounters,
    imapSource,
    pop3Source,
  };
}
