import { randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';

import {
  DIRECTORY_REFERENCES_FIND_V1,
  DIRECTORY_SERVICE_CREATE_V1,
  DIRECTORY_SERVICE_DELETE_V1,
  DIRECTORY_SERVICE_DESCRIBE_V1,
  DIRECTORY_SERVICE_GET_V1,
  DIRECTORY_SERVICE_LIST_V1,
  DIRECTORY_SERVICE_SYNC_V1,
  DIRECTORY_SERVICE_UPDATE_V1,
  type ImportRow,
  MAILBOX_CREATE_V1,
  MAILBOX_DELETE_V1,
  MAILBOX_DESCRIBE_V1,
  MAILBOX_GET_V1,
  MAILBOX_LIST_V1,
  MAILBOX_UPDATE_V1,
  MAILBOXES_IMPORT_V1,
  MAILBOXES_RESOLVE_V1,
  type MailboxPayload,
  type ObjectReference,
  PROFILES_REFERENCES_FIND_V1,
  SCHEDULER_REFERENCES_FIND_V1,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { contractFailure, type ServiceHarness, startServiceHarness } from '@mailkeep/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DIRECTORY_SCHEMA } from './database/directory-schema.js';
import { DirectoryEnv } from './directory.env.js';
import { DirectoryModule } from './directory.module.js';

/**
 * The directory service as it runs (runService: its schema migrated, its handlers on NATS), driven
 * over NATS. It gets a NATS server of its own: the service answers the real `directory.req.*`
 * subjects and the fake profiles/scheduler responders the real `*.req.references.find.v1`, which
 * on a shared server would mix with other test files' platforms.
 */
let harness: ServiceHarness;
let bus: MessageBus;
let sql: pg.Pool;

const tenant = randomUUID();
const otherTenant = randomUUID();

const fail = contractFailure;

const createMailbox = (fields: Partial<MailboxPayload> & { primaryAddress: string }, tenantId = tenant) =>
  bus.request(MAILBOX_CREATE_V1, { tenantId, ...fields });

beforeAll(async () => {
  harness = await startServiceHarness({ name: 'directory', database: true, logLevel: 'warn' });
  ({ bus, sql } = harness);
  await harness.startService({
    name: 'directory',
    env: DirectoryEnv,
    schema: DIRECTORY_SCHEMA,
    module: () => DirectoryModule.forRoot(),
  });
});

afterAll(() => harness?.close());

describe('mailbox addresses (D1)', () => {
  const accepted: [string, string][] = [
    ['Ada@Example.COM', 'Ada@example.com'],
    ['  first.last+tag@sub.example.co.uk ', 'first.last+tag@sub.example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['josé@exämple.de', `josé@${domainToASCII('exämple.de')}`],
    ['用户@例子.广告', `用户@${domainToASCII('例子.广告')}`],
    ['пример@пример.рф', `пример@${domainToASCII('пример.рф')}`],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
  ];
  it.each(accepted)('accepts %s as %s', async (input, stored) => {
    const mailbox = await createMailbox({ primaryAddress: input });
    expect(mailbox.primaryAddress).toBe(stored);
    expect(stored).toMatch(/@[a-z0-9.-]+$/);
  });

  const refused = [
    'plain',
    '@example.com',
    'ada@',
    'a b@example.com',
    '"quoted"@example.com',
    '"a@b"@example.com',
    'a..b@example.com',
    '.a@example.com',
    'a.@example.com',
    'a@b@example.com',
    'ada(comment)@example.com',
    'ada@localhost',
    'ada@[127.0.0.1]',
    'ada@1.2.3.4',
    'ada@exa_mple.com',
    'ada@-example.com',
    'ada@exa mple.com',
    `${'a'.repeat(65)}@example.com`,
    `${'é'.repeat(33)}@example.com`, // 66 octets in UTF-8
    `a@${'b'.repeat(64)}.com`,
    `${'a'.repeat(64)}@${`${'b'.repeat(60)}.`.repeat(4)}com`, // 312 octets
  ];
  it.each(refused)('refuses %s with a field error', async (input) => {
    const error = await fail(createMailbox({ primaryAddress: input }));
    expect(error.code).toBe('VALIDATION');
    expect(error.fields?.map((f) => f.field)).toEqual(['primaryAddress']);
  });

  it('names each bad secondary address by its index, and a repeated one', async () => {
    const error = await fail(
      createMailbox({
        primaryAddress: 'sec-check@example.com',
        secondaryAddresses: ['ok@example.com', 'not an address', 'SEC-CHECK@example.com'],
      }),
    );
    expect(error.fields?.map((f) => f.field)).toEqual(['secondaryAddresses.1', 'secondaryAddresses.2']);
  });

  it('keeps every address unique in the tenant across primary and secondary, in any case', async () => {
    const a = await createMailbox({
      primaryAddress: 'unique-a@example.com',
      secondaryAddresses: ['Alias-A@Example.com'],
      displayName: 'Unique A',
    });
    for (const taken of [
      { primaryAddress: 'UNIQUE-A@EXAMPLE.COM' },
      { primaryAddress: 'alias-a@example.com' },
      { primaryAddress: 'unique-b@example.com', secondaryAddresses: ['Unique-A@example.com'] },
      { primaryAddress: 'unique-b@example.com', secondaryAddresses: ['ALIAS-A@example.com'] },
    ]) {
      const error = await fail(createMailbox(taken));
      expect(error).toMatchObject({ code: 'CONFLICT', reason: 'duplicate_address' });
      expect(error.references).toEqual([{ kind: 'mailbox', id: a.id, name: 'unique-a@example.com' }]);
    }
    // Another tenant may use the same addresses.
    await createMailbox({ primaryAddress: 'unique-a@example.com' }, otherTenant);

    const b = await createMailbox({ primaryAddress: 'unique-b@example.com' });
    const update = (secondaryAddresses: string[], id = b.id) =>
      bus.request(MAILBOX_UPDATE_V1, { tenantId: tenant, id, secondaryAddresses });
    expect((await fail(update(['alias-a@EXAMPLE.com']))).code).toBe('CONFLICT');
    await update([], a.id); // A gives its alias up …
    expect((await update(['alias-a@EXAMPLE.com'])).secondaryAddresses).toEqual(['alias-a@example.com']); // … B takes it
  });
});

describe('mailboxes', () => {
  it('lets a synced mailbox change only its secondary addresses', async () => {
    const id = randomUUID();
    await sql.query(
      `INSERT INTO directory.mailbox (id, tenant_id, primary_address, address_key, display_name, origin)
       VALUES ($1, $2, 'synced@example.com', 'synced@example.com', 'Synced', 'directory')`,
      [id, tenant],
    );
    await sql.query(
      `INSERT INTO directory.mailbox_address (tenant_id, address_key, mailbox_id, is_primary) VALUES ($1, 'synced@example.com', $2, true)`,
      [tenant, id],
    );
    for (const change of [
      { displayName: 'Renamed' },
      { enabled: false },
      { primaryAddress: 'other@example.com' },
      { directoryServiceId: null, displayName: 'X' },
    ]) {
      const error = await fail(bus.request(MAILBOX_UPDATE_V1, { tenantId: tenant, id, ...change }));
      expect(error).toMatchObject({ code: 'RULE_VIOLATION', reason: 'synced_mailbox' });
    }
    const updated = await bus.request(MAILBOX_UPDATE_V1, {
      tenantId: tenant,
      id,
      displayName: 'Synced', // unchanged values are fine
      secondaryAddresses: ['synced.alias@example.com'],
    });
    expect(updated).toMatchObject({ origin: 'directory', secondaryAddresses: ['synced.alias@example.com'] });
  });

  it('finds by address (primary or secondary), display name or whole id, % and _ literal, in pages', async () => {
    const made: MailboxPayload[] = [];
    for (const [primary, name, secondary] of [
      ['search.one@search.test', 'Sales 50%', 'billing_x@search.test'],
      ['search.two@search.test', 'Sales team', 'billingxx@search.test'],
      ['search.three@search.test', 'Support', ''],
    ] as const) {
      made.push(
        await createMailbox({
          primaryAddress: primary,
          displayName: name,
          secondaryAddresses: secondary ? [secondary] : [],
        }),
      );
    }
    const search = async (text: string) =>
      (await bus.request(MAILBOX_LIST_V1, { tenantId: tenant, search: text, limit: 200 })).items.map(
        (m) => m.primaryAddress,
      );
    expect(await search('SEARCH.TWO@')).toEqual(['search.two@search.test']);
    expect(await search('sales')).toEqual(['search.one@search.test', 'search.two@search.test']);
    expect(await search('50%')).toEqual(['search.one@search.test']);
    expect(await search('billing_')).toEqual(['search.one@search.test']);
    expect(await search('BILLINGXX')).toEqual(['search.two@search.test']);
    expect(await search(made[2]?.id.toUpperCase() ?? '')).toEqual(['search.three@search.test']);
    expect(await search(made[2]?.id.slice(0, 13) ?? '')).toEqual([]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await bus.request(MAILBOX_LIST_V1, {
        tenantId: tenant,
        search: '@search.test',
        limit: 2,
        ...(cursor && { cursor }),
      });
      seen.push(...page.items.map((m) => m.primaryAddress));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['search.one@search.test', 'search.three@search.test', 'search.two@search.test']);
    const bad = await fail(bus.request(MAILBOX_LIST_V1, { tenantId: tenant, cursor: 'garbage' }));
    expect(bad.fields?.[0]?.field).toBe('cursor');
  });

  it("answers NOT_FOUND for another tenant's mailbox and for ids that are not ids", async () => {
    const mine = await createMailbox({ primaryAddress: 'isolated@example.com' });
    for (const id of [mine.id, 'not-a-uuid']) {
      expect((await fail(bus.request(MAILBOX_GET_V1, { tenantId: otherTenant, id }))).code).toBe('NOT_FOUND');
      expect((await fail(bus.request(MAILBOX_DELETE_V1, { tenantId: otherTenant, id }))).code).toBe(
        'NOT_FOUND',
      );
    }
    expect(await bus.request(MAILBOX_DESCRIBE_V1, { tenantId: tenant, id: mine.id })).toEqual({
      id: mine.id,
      primaryAddress: 'isolated@example.com',
      displayName: '',
      enabled: true,
      directoryServiceId: null,
    });
  });
});

describe('directory services', () => {
  it('keeps names unique per tenant in any case, lists, syncs a static service and keeps lastSync', async () => {
    const ds = await bus.request(DIRECTORY_SERVICE_CREATE_V1, {
      tenantId: tenant,
      name: ' Head Office ',
      type: 'static',
    });
    expect(ds).toMatchObject({ name: 'Head Office', description: '', type: 'static', memberCount: 0 });
    expect(ds.lastSync).toBeUndefined();
    const duplicate = await fail(
      bus.request(DIRECTORY_SERVICE_CREATE_V1, { tenantId: tenant, name: 'HEAD office', type: 'static' }),
    );
    expect(duplicate).toMatchObject({ code: 'CONFLICT', reason: 'duplicate_name' });
    await bus.request(DIRECTORY_SERVICE_CREATE_V1, {
      tenantId: otherTenant,
      name: 'Head Office',
      type: 'static',
    });

    await createMailbox({ primaryAddress: 'member1@hq.test', directoryServiceId: ds.id });
    const m2 = await createMailbox({ primaryAddress: 'member2@hq.test' });
    await bus.request(MAILBOX_UPDATE_V1, {
      tenantId: tenant,
      id: m2.id,
      directoryServiceId: ds.id,
    });
    const members = await bus.request(MAILBOX_LIST_V1, {
      tenantId: tenant,
      directoryServiceId: ds.id,
    });
    expect(members.items.map((m) => m.primaryAddress)).toEqual(['member1@hq.test', 'member2@hq.test']);
    const unknown = await fail(
      createMailbox({ primaryAddress: 'member3@hq.test', directoryServiceId: randomUUID() }),
    );
    expect(unknown.fields?.[0]?.field).toBe('directoryServiceId');

    const dry = await bus.request(DIRECTORY_SERVICE_SYNC_V1, { tenantId: tenant, id: ds.id, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, created: 0, updated: 0, disabled: 0, unchanged: 2 });
    expect(
      (await bus.request(DIRECTORY_SERVICE_GET_V1, { tenantId: tenant, id: ds.id })).lastSync,
    ).toBeUndefined();
    const committed = await bus.request(DIRECTORY_SERVICE_SYNC_V1, {
      tenantId: tenant,
      id: ds.id,
      dryRun: false,
    });
    expect(committed).toMatchObject({ changes: [], errors: [] });
    const { changes: _changes, errors: _errors, ...summary } = committed;
    const read = await bus.request(DIRECTORY_SERVICE_GET_V1, { tenantId: tenant, id: ds.id });
    expect(read).toMatchObject({ memberCount: 2, lastSync: summary });
    expect(read.lastSync).not.toHaveProperty('changes');

    const renamed = await bus.request(DIRECTORY_SERVICE_UPDATE_V1, {
      tenantId: tenant,
      id: ds.id,
      name: 'HQ',
      description: 'Head office',
    });
    expect(renamed).toMatchObject({ name: 'HQ', description: 'Head office', memberCount: 2 });
    const listed = await bus.request(DIRECTORY_SERVICE_LIST_V1, { tenantId: tenant, search: 'hq' });
    expect(listed.items.map((d) => d.id)).toEqual([ds.id]);
    expect(await bus.request(DIRECTORY_SERVICE_DESCRIBE_V1, { tenantId: tenant, id: ds.id })).toEqual({
      id: ds.id,
      name: 'HQ',
      type: 'static',
    });
    expect(
      (await fail(bus.request(DIRECTORY_SERVICE_GET_V1, { tenantId: otherTenant, id: ds.id }))).code,
    ).toBe('NOT_FOUND');
  });

  it('reports the secret a directory service uses, and none for static ones', async () => {
    const secretId = randomUUID();
    const ask = () =>
      bus.request(DIRECTORY_REFERENCES_FIND_V1, { tenantId: tenant, kind: 'secret', id: secretId });
    expect(await ask()).toEqual({ references: [] });
    const ds = await bus.request(DIRECTORY_SERVICE_CREATE_V1, {
      tenantId: tenant,
      name: 'Uses a secret',
      type: 'static',
    });
    // A synced type (m365, later) stores the secret it authenticates with in this column.
    await sql.query(`UPDATE directory.directory_service SET credentials_secret_id = $1 WHERE id = $2`, [
      secretId,
      ds.id,
    ]);
    expect(await ask()).toEqual({
      references: [{ kind: 'directory-service', id: ds.id, name: 'Uses a secret' }],
    });
  });
});

describe('CSV import chunks and resolve', () => {
  const rows = (count: number, from = 0, domain = 'bulk.test'): ImportRow[] =>
    Array.from({ length: count }, (_, i) => ({
      row: from + i + 2,
      primaryAddress: `user${from + i}@${domain}`,
      displayName: `User ${from + i}`,
      secondaryAddresses: `alias${from + i}@${domain}`,
    }));

  it('is idempotent by primary address, reports bad rows and keeps the good ones', async () => {
    await createMailbox({ primaryAddress: 'owner@imp.test', secondaryAddresses: ['taken@imp.test'] });
    const chunk: ImportRow[] = [
      ...rows(3, 0, 'imp.test'),
      { row: 10, primaryAddress: 'not an address', displayName: '', secondaryAddresses: '' },
      { row: 11, primaryAddress: 'x@imp.test', displayName: '', secondaryAddresses: 'bad;;' },
      { row: 12, primaryAddress: 'y@imp.test', displayName: '', secondaryAddresses: 'alias0@imp.test' },
      { row: 13, primaryAddress: 'z@imp.test', displayName: '', secondaryAddresses: 'TAKEN@imp.test' },
      { row: 14, primaryAddress: 'w@imp.test', displayName: 'x'.repeat(300), secondaryAddresses: '' },
    ];
    const first = await bus.request(MAILBOXES_IMPORT_V1, { tenantId: tenant, rows: chunk });
    expect(first).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    expect(first.errors.map((e) => e.row)).toEqual([10, 11, 12, 13, 14]);
    expect(first.errors[2]?.message).toContain('row 2');
    expect(first.errors[3]?.message).toContain('owner@imp.test');

    const again = await bus.request(MAILBOXES_IMPORT_V1, {
      tenantId: tenant,
      rows: rows(3, 0, 'imp.test'),
    });
    expect(again).toEqual({ created: 0, updated: 0, unchanged: 3, errors: [] });
    const changed = rows(3, 0, 'imp.test').map((r, i) => (i === 1 ? { ...r, displayName: 'Renamed' } : r));
    changed[2] = { ...changed[2]!, primaryAddress: 'USER2@IMP.TEST' }; // same mailbox, other spelling
    expect(await bus.request(MAILBOXES_IMPORT_V1, { tenantId: tenant, rows: changed })).toEqual({
      created: 0,
      updated: 2,
      unchanged: 1,
      errors: [],
    });
    const unknown = await fail(
      bus.request(MAILBOXES_IMPORT_V1, {
        tenantId: tenant,
        directoryServiceId: randomUUID(),
        rows: [],
      }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
  });

  it('resolves the enabled members of a directory service in keyset pages (2,500 members)', async () => {
    const ds = await bus.request(DIRECTORY_SERVICE_CREATE_V1, {
      tenantId: tenant,
      name: 'Bulk',
      type: 'static',
    });
    const all = rows(2_500);
    for (let i = 0; i < all.length; i += 1_000) {
      const reply = await bus.request(
        MAILBOXES_IMPORT_V1,
        { tenantId: tenant, directoryServiceId: ds.id, rows: all.slice(i, i + 1_000) },
        { timeoutMs: 30_000 },
      );
      expect(reply.errors).toEqual([]);
    }
    const disabled = (await bus.request(MAILBOX_LIST_V1, { tenantId: tenant, search: 'user7@bulk.test' }))
      .items[0];
    await bus.request(MAILBOX_UPDATE_V1, {
      tenantId: tenant,
      id: disabled?.id ?? '',
      enabled: false,
    });

    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await bus.request(MAILBOXES_RESOLVE_V1, {
        tenantId: tenant,
        directoryServiceId: ds.id,
        limit: 1_000,
        ...(cursor && { cursor }),
      });
      ids.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(2_499);
    expect(new Set(ids).size).toBe(2_499);
    expect(ids).not.toContain(disabled?.id);
    expect([...ids].sort()).toEqual(ids);
    const foreign = await fail(
      bus.request(MAILBOXES_RESOLVE_V1, {
        tenantId: otherTenant,
        directoryServiceId: ds.id,
        limit: 10,
      }),
    );
    expect(foreign.code).toBe('NOT_FOUND');
  });
});

describe('guarded deletes (D2, D5)', () => {
  const responder = (
    contract: typeof PROFILES_REFERENCES_FIND_V1,
    answer: (kind: string, id: string) => ObjectReference[],
  ) =>
    bus.serve(contract, (request) => Promise.resolve({ references: answer(request.kind, request.id) }), {
      queue: `fake-${contract.subject}`,
    });

  it('refuses to delete a mailbox when profiles does not answer (UNAVAILABLE), or uses it (CONFLICT)', async () => {
    const mailbox = await createMailbox({ primaryAddress: 'guarded@example.com' });
    const down = await fail(bus.request(MAILBOX_DELETE_V1, { tenantId: tenant, id: mailbox.id }));
    expect(down).toMatchObject({ code: 'UNAVAILABLE', reason: 'dependency_unavailable' });

    const profileId = randomUUID();
    const profiles = responder(PROFILES_REFERENCES_FIND_V1, (kind, id) =>
      kind === 'mailbox' && id === mailbox.id
        ? [{ kind: 'archiving-profile', id: profileId, name: 'Sales IMAP' }]
        : [],
    );
    try {
      const used = await fail(bus.request(MAILBOX_DELETE_V1, { tenantId: tenant, id: mailbox.id }));
      expect(used).toMatchObject({ code: 'CONFLICT', reason: 'in_use' });
      expect(used.message).toContain('Sales IMAP');
      expect(used.references).toEqual([{ kind: 'archiving-profile', id: profileId, name: 'Sales IMAP' }]);
      const free = await createMailbox({ primaryAddress: 'unguarded@example.com' });
      expect(await bus.request(MAILBOX_DELETE_V1, { tenantId: tenant, id: free.id })).toEqual({
        id: free.id,
      });
      // Its addresses are free again.
      await createMailbox({ primaryAddress: 'unguarded@example.com' });
    } finally {
      profiles.unsubscribe();
    }
  });

  it('refuses to delete a directory service unless profiles and scheduler both answer with no reference', async () => {
    const ds = await bus.request(DIRECTORY_SERVICE_CREATE_V1, {
      tenantId: tenant,
      name: 'Guarded',
      type: 'static',
    });
    const member = await createMailbox({
      primaryAddress: 'guarded-member@example.com',
      directoryServiceId: ds.id,
    });
    const remove = () => bus.request(DIRECTORY_SERVICE_DELETE_V1, { tenantId: tenant, id: ds.id });
    expect((await fail(remove())).code).toBe('UNAVAILABLE');

    const profiles = responder(PROFILES_REFERENCES_FIND_V1, () => []);
    let scheduleUses = true;
    try {
      expect((await fail(remove())).code).toBe('UNAVAILABLE'); // scheduler still missing
      const scheduler = responder(SCHEDULER_REFERENCES_FIND_V1, (kind, id) =>
        scheduleUses && kind === 'directory-service' && id === ds.id
          ? [{ kind: 'schedule', id: 'sched-1', name: 'Nightly' }]
          : [],
      );
      try {
        const used = await fail(remove());
        expect(used).toMatchObject({ code: 'CONFLICT', reason: 'in_use' });
        expect(used.message).toContain('Nightly');
        scheduleUses = false;
        expect(await remove()).toEqual({ id: ds.id });
      } finally {
        scheduler.unsubscribe();
      }
    } finally {
      profiles.unsubscribe();
    }
    const after = await bus.request(MAILBOX_GET_V1, { tenantId: tenant, id: member.id });
    expect(after).toMatchObject({ directoryServiceId: null, origin: 'manual' });
  });
});
