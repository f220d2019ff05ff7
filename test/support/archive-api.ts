import { randomBytes } from 'node:crypto';

import { expect } from 'vitest';

import { waitFor } from '@mailkeep/testing';

/**
 * The REST calls the archive end-to-end tests make (runs, catalogued messages, raw downloads), for
 * a platform and tenant that the test sets up in its beforeAll: `session` is read at each call.
 */
export interface ArchiveApiSession {
  readonly baseUrl: string;
  /** Used for `POST /tenants` (creating the tenant). */
  readonly bootstrapKey: string;
  /** The tenant's admin key, for everything else. */
  readonly adminKey: string;
  readonly tenant: string;
}

export interface CataloguedMessage {
  id: string;
  mailboxId: string;
  folder: string;
  folders: string[];
  sha256: string;
  size: number;
  subject: string | null;
  /** The run that archived it. */
  runId: string;
}

export interface RunBody {
  id: string;
  status: string;
  finishedAt: string | null;
  counters: Record<string, number>;
  tasks: { mailboxId: string; status: string; attempts: number; lastError: string | null }[];
}

/** A run ends within this on the test corpora (seconds of work), with room for a loaded 2-core box. */
const RUN_TIMEOUT_MS = 120_000;
/** Catalog ingestion is asynchronous; a minute is far above its batching delay. */
const CATALOG_TIMEOUT_MS = 60_000;

export function archiveApi(session: () => ArchiveApiSession) {
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; retryAfter: string | null }> {
    const { baseUrl, bootstrapKey, adminKey } = session();
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${path === '/tenants' ? bootstrapKey : adminKey}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : undefined) as T,
      retryAfter: response.headers.get('retry-after'),
    };
  }

  /** POST under the tenant, expecting 201. */
  async function created<T extends { id: string }>(path: string, body: unknown): Promise<T> {
    const reply = await call<T>('POST', `/tenants/${session().tenant}${path}`, body);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body;
  }

  async function download(
    messageId: string,
  ): Promise<{ status: number; type: string | null; bytes: Buffer }> {
    const { baseUrl, tenant, adminKey } = session();
    const response = await fetch(`${baseUrl}/api/v1/tenants/${tenant}/messages/${messageId}/raw`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  }

  /** Every catalogued message of a mailbox, through the paged list. */
  async function catalogued(mailboxId: string): Promise<CataloguedMessage[]> {
    const found: CataloguedMessage[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `mailboxId=${mailboxId}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await call<{ items: CataloguedMessage[]; nextCursor: string | null }>(
        'GET',
        `/tenants/${session().tenant}/messages?${query}`,
      );
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      found.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return found;
  }

  /** Waits until the catalog holds at least `count` messages of the mailbox. */
  function cataloguedCount(mailboxId: string, count: number): Promise<CataloguedMessage[]> {
    return waitFor(
      async () => {
        const messages = await catalogued(mailboxId);
        return messages.length >= count ? messages : undefined;
      },
      { timeoutMs: CATALOG_TIMEOUT_MS, description: `${count} messages catalogued` },
    );
  }

  /** Starts a run of the schedule now and waits until it has finished. */
  async function runToEnd(scheduleId: string): Promise<RunBody> {
    const tenant = session().tenant;
    const started = await call<RunBody>('POST', `/tenants/${tenant}/schedules/${scheduleId}/run`);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    return waitFor(
      async () => {
        const run = await call<RunBody>('GET', `/tenants/${tenant}/runs/${started.body.id}`);
        return run.body.finishedAt === null ? undefined : run.body;
      },
      { timeoutMs: RUN_TIMEOUT_MS, description: `run ${started.body.id} finished` },
    );
  }

  /** A static directory service holding a mailbox per address: a multiple-mode profile's mailboxes. */
  async function staticDirectory(
    name: string,
    addresses: readonly string[],
  ): Promise<{ directoryId: string; mailboxIds: string[] }> {
    const directory = await created<{ id: string }>('/directory-services', { name, type: 'static' });
    const mailboxIds: string[] = [];
    for (const primaryAddress of addresses) {
      mailboxIds.push(
        (await created<{ id: string }>('/mailboxes', { primaryAddress, directoryServiceId: directory.id }))
          .id,
      );
    }
    return { directoryId: directory.id, mailboxIds };
  }

  /** A daily schedule of the profile (runs are started by hand with runToEnd). */
  async function dailySchedule(profileId: string): Promise<string> {
    return (
      await created<{ id: string }>(`/archiving-profiles/${profileId}/schedules`, {
        name: `nightly ${profileId.slice(0, 8)}`,
        timezone: 'UTC',
        recurrence: { type: 'daily', times: ['02:00'] },
      })
    ).id;
  }

  /**
   * One mailbox, a single-mode IMAPS profile logging in to a test server (self-signed certificate)
   * as `username` with a credential of its own, and a daily schedule of it.
   */
  async function singleImapSchedule(login: {
    readonly username: string;
    readonly password: string;
    readonly primaryAddress: string;
    readonly port: number;
  }): Promise<{ mailboxId: string; profileId: string; scheduleId: string }> {
    const secret = await created<{ id: string }>('/secrets', {
      name: login.username,
      type: 'basic',
      username: login.username,
      password: login.password,
    });
    const mailbox = await created<{ id: string }>('/mailboxes', { primaryAddress: login.primaryAddress });
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: `Single ${login.username}`,
      type: 'imap',
      mode: 'single',
      credentialsSecretId: secret.id,
      mailboxId: mailbox.id,
      serverName: '127.0.0.1',
      port: login.port,
      protocol: 'imap-ssl',
      ignoreTlsCertificateErrors: true,
    });
    return { mailboxId: mailbox.id, profileId: profile.id, scheduleId: await dailySchedule(profile.id) };
  }

  return {
    call,
    created,
    download,
    catalogued,
    cataloguedCount,
    runToEnd,
    dailySchedule,
    staticDirectory,
    singleImapSchedule,
  };
}

/** A small plain-text message with its own Message-ID: new mail delivered between two runs. */
export function plainMessage(label: string, domain: string): Buffer {
  return Buffer.from(
    [
      'From: Sender <sender@fabrikam.example>',
      `To: Archive <archive@${domain}>`,
      `Subject: New message ${label}`,
      'Date: Mon, 07 Dec 2026 06:00:00 +0000',
      `Message-ID: <${label}.${randomBytes(6).toString('hex')}@fabrikam.example>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Body of ${label}.`,
      '',
    ].join('\r\n'),
  );
}
