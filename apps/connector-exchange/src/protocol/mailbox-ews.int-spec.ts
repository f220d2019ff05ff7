import { Egress, EgressPolicy } from '@mailkeep/egress';
import {
  type EwsMailbox,
  HIERARCHY_CHANGES_PER_RESPONSE,
  type RunningEwsFake,
  seedEwsMailbox,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { listFolders } from '../folders/list-folders.js';
import { SERVICE_PASSWORD, startFakeWithServiceAccount } from '../test-support/fixtures.js';
import { MailboxEws } from './ews-session.js';
import { fetchMime, hardDelete, syncFolderItems } from './mailbox-items.js';
import { EwsCallError, INVALID_SYNC_STATE, toConnectionTestFailure } from './parse-ews-error.js';

/**
 * ews-javascript-api on Node 24 over the connector's egress transport, against the EWS fake:
 * authentication as the server offers it, impersonation, folders, SyncFolderItems paging and sync
 * states, MIME, HardDelete and the ErrorServerBusy shapes.
 */
let fake: RunningEwsFake;
let alice: EwsMailbox;
const password = SERVICE_PASSWORD;

beforeAll(async () => {
  fake = await startFakeWithServiceAccount(['alice@contoso.example']);
  alice = fake.addMailbox('alice@contoso.example');
  seedEwsMailbox(alice);
});
afterAll(async () => {
  await fake?.stop();
});

const throttled: number[] = [];

function session(
  login: string,
  options: {
    secret?: string;
    egress?: Egress;
    mailbox?: string;
    url?: URL;
    rejectUnauthorized?: boolean;
    timeoutMs?: number;
  } = {},
): MailboxEws {
  return new MailboxEws({
    egress: options.egress ?? new Egress(EgressPolicy.fromEntries(`127.0.0.1:${fake.port}`)),
    url: options.url ?? new URL(fake.url),
    login,
    password: options.secret ?? password,
    timeoutMs: options.timeoutMs ?? 10_000,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    mailbox: options.mailbox ?? 'alice@contoso.example',
    signal: new AbortController().signal,
    onThrottled: (waitMs) => throttled.push(waitMs),
  });
}

async function failure(promise: Promise<unknown>): Promise<EwsCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EwsCallError);
  return error as EwsCallError;
}

describe('ews-javascript-api over the egress transport', () => {
  it('authenticates with NTLM once per connection and lists the mail folders a default archive keeps', async () => {
    const before = fake.counters.ntlmLogins;
    const hierarchyCallsBefore = fake.counters.operation('SyncFolderHierarchy');
    const ews = session('CONTOSO\\svc-archive');
    try {
      const folders = await listFolders(ews);
      // The seeded hierarchy is longer than one SyncFolderHierarchy response of the fake: the
      // listing followed the sync state to IncludesLastFolderInRange, and never used FindFolder.
      const syncable = [...alice.folders.values()].filter((f) => !f.search && f !== alice.root);
      expect(syncable.length).toBeGreaterThan(HIERARCHY_CHANGES_PER_RESPONSE);
      expect(fake.counters.operation('SyncFolderHierarchy') - hierarchyCallsBefore).toBe(
        Math.ceil(syncable.length / HIERARCHY_CHANGES_PER_RESPONSE),
      );
      expect(fake.counters.operation('FindFolder')).toBe(0);
      const paths = folders.map((f) => f.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'Inbox',
          'Inbox/Projects',
          'Inbox/Projects/2026 Q4',
          'Sent Items',
          'Customers',
        ]),
      );
      // Not mail, hidden, or a search folder: never listed.
      for (const skipped of ['Calendar', 'Contacts', 'Tasks', 'Quarantine Holding', 'Unread Mail'])
        expect(paths).not.toContain(skipped);
      expect(folders.filter((f) => f.defaultExcluded).map((f) => f.path)).toEqual(
        expect.arrayContaining(['Deleted Items', 'Junk Email', 'Drafts', 'Outbox']),
      );
      expect(ews.transport.authScheme).toBe('ntlm');
      expect(fake.counters.ntlmLogins - before).toBe(1);
      expect(fake.counters.anchorMismatches).toBe(0);
    } finally {
      ews.close();
    }
  });

  it('refuses a wrong NTLM password (the fake checks the NTLMv2 proof) as an authentication failure', async () => {
    const ews = session('CONTOSO\\svc-archive', { secret: 'not-the-password' });
    try {
      const error = await failure(listFolders(ews));
      expect(error).toMatchObject({ code: 'AUTH_FAILED', reason: 'authentication' });
      expect(error.failure.code).toBe('Http401');
    } finally {
      ews.close();
    }
  });

  it('uses Basic with a UPN when the server offers only Basic', async () => {
    fake.setAuthSchemes(['basic']);
    const ews = session('svc-archive@contoso.example');
    try {
      const inbox = alice.distinguished('inbox');
      await syncFolderItems(ews, { id: inbox.id, path: 'Inbox' }, undefined, 1);
      expect(ews.transport.authScheme).toBe('basic');
    } finally {
      fake.setAuthSchemes(['ntlm', 'basic']);
      ews.close();
    }
  });

  it('authenticates with NTLM as a UPN (no domain part), as Windows accepts', async () => {
    const before = fake.counters.ntlmLogins;
    const basicBefore = fake.counters.basicLogins;
    const ews = session('svc-archive@contoso.example');
    try {
      const inbox = alice.distinguished('inbox');
      await syncFolderItems(ews, { id: inbox.id, path: 'Inbox' }, undefined, 1);
      expect(ews.transport.authScheme).toBe('ntlm');
      expect(fake.counters.ntlmLogins - before).toBe(1);
      expect(fake.counters.basicLogins - basicBefore).toBe(0);
    } finally {
      ews.close();
    }
  });

  it('speaks NTLM inside Negotiate when IIS offers only the Negotiate provider', async () => {
    fake.setAuthSchemes(['negotiate']);
    const before = fake.counters.ntlmLogins;
    const ews = session('CONTOSO\\svc-archive');
    try {
      const inbox = alice.distinguished('inbox');
      await syncFolderItems(ews, { id: inbox.id, path: 'Inbox' }, undefined, 1);
      await syncFolderItems(ews, { id: inbox.id, path: 'Inbox' }, undefined, 1);
      expect(ews.transport.authScheme).toBe('ntlm');
      expect(fake.counters.ntlmLogins - before).toBe(1);
    } finally {
      fake.setAuthSchemes(['ntlm', 'basic']);
      ews.close();
    }
  });

  it('pages SyncFolderItems, resumes from a sync state, fetches exact MIME and hard-deletes', async () => {
    const ews = session('CONTOSO\\svc-archive');
    try {
      const folder = alice.addFolder('Paging');
      const items = Array.from({ length: 7 }, (_, i) =>
        alice.addMessage(folder, Buffer.from(`Subject: paging ${i}\r\n\r\nbody ${i}\r\n`), {
          flagged: i === 2,
        }),
      );
      const seen: string[] = [];
      let state: string | undefined;
      let pages = 0;
      for (let more = true; more; pages += 1) {
        const page = await syncFolderItems(ews, { id: folder.id, path: 'Paging' }, state, 3);
        seen.push(...page.created.map((c) => c.id));
        if (page.created.some((c) => c.id === items[2]!.id))
          expect(page.created.find((c) => c.id === items[2]!.id)?.flagged).toBe(true);
        state = page.syncState;
        more = page.moreAvailable;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(items.map((i) => i.id));
      expect((await syncFolderItems(ews, { id: folder.id, path: 'Paging' }, state, 3)).created).toEqual([]);

      const added = alice.addMessage(folder, Buffer.from('Subject: later\r\n\r\nlater\r\n'));
      const next = await syncFolderItems(ews, { id: folder.id, path: 'Paging' }, state, 3);
      expect(next.created).toEqual([{ id: added.id, flagged: false }]);

      expect((await fetchMime(ews, added.id))?.equals(added.mime)).toBe(true);
      expect(await hardDelete(ews, [added.id, items[0]!.id])).toEqual([]);
      expect(alice.items.get(added.id)?.deleted).toBe(true);
      expect(await fetchMime(ews, added.id)).toBeUndefined();
      expect(fake.counters.deletes.slice(-2)).toEqual([
        { id: added.id, deleteType: 'HardDelete' },
        { id: items[0]!.id, deleteType: 'HardDelete' },
      ]);

      alice.invalidateSyncStates();
      const refused = await failure(
        syncFolderItems(ews, { id: folder.id, path: 'Paging' }, next.syncState, 3),
      );
      expect(refused.reason).toBe(INVALID_SYNC_STATE);
    } finally {
      ews.close();
    }
  });

  it('retries ErrorServerBusy in the three shapes the library produces, honouring BackOffMilliseconds', async () => {
    const ews = session('CONTOSO\\svc-archive');
    const inbox = alice.distinguished('inbox');
    const [item] = alice.itemsIn(inbox);
    try {
      for (const busyShape of ['fault', 'item'] as const) {
        throttled.length = 0;
        const busyBefore = fake.counters.serverBusy;
        fake.setFaults({ busyFraction: 0.5, busyShape, backOffMilliseconds: 30, seed: 7 });
        for (let i = 0; i < 4; i++) {
          expect((await fetchMime(ews, item!.id))?.equals(item!.mime)).toBe(true);
          await syncFolderItems(ews, { id: inbox.id, path: 'Inbox' }, undefined, 5);
        }
        fake.setFaults({});
        expect(fake.counters.serverBusy - busyBefore).toBeGreaterThan(0);
        expect(throttled).toHaveLength(fake.counters.serverBusy - busyBefore);
        expect(new Set(throttled)).toEqual(new Set([30]));
      }
      expect(fake.counters.earlyRetries).toBe(0);
      // A SOAP fault (SoapFaultDetails), a response message of a one-response call
      // (ServiceResponseException) and one inside GetItem's collection: each was answered and retried.
      for (const shape of ['fault GetItem', 'item SyncFolderItems', 'item GetItem'])
        expect(fake.counters.busyAnswers.get(shape), shape).toBeGreaterThan(0);
    } finally {
      fake.setFaults({});
      ews.close();
    }
  });

  it('backs off exponentially when ErrorServerBusy has no BackOffMilliseconds', async () => {
    const ews = session('CONTOSO\\svc-archive');
    try {
      throttled.length = 0;
      fake.setFaults({ busyFraction: 1, backOffMilliseconds: null });
      const pending = syncFolderItems(
        ews,
        { id: alice.distinguished('inbox').id, path: 'Inbox' },
        undefined,
        1,
      );
      await expect.poll(() => throttled.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
      fake.setFaults({});
      await pending;
      expect(throttled.slice(0, 2)).toEqual([500, 1000]);
    } finally {
      fake.setFaults({});
      ews.close();
    }
  });

  it('checks the server’s certificate against its name, unless the profile ignores certificate errors', async () => {
    // A name the fake's certificate does not carry, resolved to the fake.
    const egress = new Egress(EgressPolicy.fromEntries(`127.0.0.1:${fake.port}`), () =>
      Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
    );
    const url = new URL(`https://mail.fabrikam.example:${fake.port}/EWS/Exchange.asmx`);
    const checked = session('CONTOSO\\svc-archive', { egress, url });
    const ignoring = session('CONTOSO\\svc-archive', { egress, url, rejectUnauthorized: false });
    try {
      const refused = await failure(listFolders(checked));
      expect(refused.failure.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(toConnectionTestFailure(refused).category).toBe('tls');
      expect((await listFolders(ignoring)).map((folder) => folder.path)).toContain('Inbox');
    } finally {
      checked.close();
      ignoring.close();
    }
  });

  it('gives up on a request after the profile’s timeout, as a timeout', async () => {
    const ews = session('CONTOSO\\svc-archive', { timeoutMs: 300 });
    fake.setFaults({ delayMs: 5_000 });
    try {
      const error = await failure(listFolders(ews));
      expect(error.failure.code).toBe('ETIMEDOUT');
      expect(toConnectionTestFailure(error).category).toBe('timeout');
    } finally {
      fake.setFaults({});
      ews.close();
    }
  });

  it('categorises impersonation outside the account’s scope, and never connects where the egress policy refuses', async () => {
    fake.addMailbox('bob@contoso.example');
    const denied = session('CONTOSO\\svc-archive', { mailbox: 'bob@contoso.example' });
    const refusedEgress = session('CONTOSO\\svc-archive', { egress: new Egress(EgressPolicy.DEFAULT) });
    try {
      const error = await failure(listFolders(denied));
      expect(error).toMatchObject({ code: 'FORBIDDEN', reason: 'authorization' });
      expect(error.failure.code).toBe('ErrorImpersonateUserDenied');

      const requests = fake.counters.requests;
      const refused = await failure(listFolders(refusedEgress));
      expect(refused).toMatchObject({ code: 'VALIDATION', reason: 'egress_refused' });
      expect(fake.counters.requests).toBe(requests);
    } finally {
      denied.close();
      refusedEgress.close();
    }
  });
});
