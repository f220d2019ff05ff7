import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import {
  ARCHIVE_EVENTS_STREAM,
  ContractError,
  INTEGRITY_CHECK_GET_V1,
  INTEGRITY_CHECK_START_V1,
  type IntegrityCheck,
  MESSAGE_ARCHIVED_V1,
  MESSAGE_GET_V1,
  MESSAGE_LOCATE_RAW_V1,
  MESSAGE_SEARCH_V1,
  type MessageArchivedEvent,
  type MessageSearchRequest,
  TASK_TALLY_V1,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { createMetrics, type Logger } from '@mailkeep/observability';
import {
  blobKey,
  createBlobDriver,
  FILESYSTEM_BLOBS_DIR,
  type FilesystemBlobStore,
  SegmentedBlobStore,
  segmentKey,
} from '@mailkeep/storage';
import { type ServiceHarness, startServiceHarness, waitFor } from '@mailkeep/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ServiceContext } from '@mailkeep/runtime';
import { createDataSource } from '@mailkeep/persistence';

import { CatalogEnv } from './catalog.env.js';
import { CatalogModule } from './catalog.module.js';
import { CATALOG_SCHEMA } from './database/catalog-schema.js';
import { IntegrityChecksRepository } from './integrity/integrity-checks.repository.js';
import { IntegrityRunner } from './integrity/integrity-runner.js';

/**
 * The catalog as it runs (runService, its own schema migrated), on a private NATS with the
 * archive events stream, a fresh database and a filesystem blob store; events are published as
 * the connectors publish them.
 */
let harness: ServiceHarness;
let bus: MessageBus;
let db: pg.Pool;
let dataDir: string;
let blobs: FilesystemBlobStore;
let quiet: Logger;

const runId = randomUUID();
const taskId = randomUUID();

function archived(
  fields: Partial<MessageArchivedEvent> & Pick<MessageArchivedEvent, 'tenantId' | 'mailboxId'>,
) {
  const event: MessageArchivedEvent = {
    runId,
    taskId,
    sourceIdentity: `imap:INBOX:1:${randomUUID()}`,
    folder: 'INBOX',
    sha256: randomHash(),
    size: 100,
    created: true,
    archivedAt: new Date().toISOString(),
    ...fields,
  };
  return event;
}

function randomHash(): string {
  return (randomUUID() + randomUUID()).replaceAll('-', '').slice(0, 64);
}

/** Publishes as a connector does; `msgId` differs from the connector's to get past the stream's dedup. */
async function publish(...events: MessageArchivedEvent[]): Promise<void> {
  await Promise.all(events.map((event) => bus.publish(MESSAGE_ARCHIVED_V1, event, { msgId: randomUUID() })));
}

/** Every event on the stream has been handled (acked or terminated) by the catalog's consumer. */
async function ingested(): Promise<void> {
  const jsm = await bus.jetstreamManager();
  await waitFor(
    async () => {
      const info = await jsm.consumers
        .info(ARCHIVE_EVENTS_STREAM.name, 'catalog-messages')
        .catch(() => undefined);
      return info !== undefined && info.num_pending === 0 && info.num_ack_pending === 0;
    },
    { timeoutMs: 30_000, intervalMs: 50, description: 'the catalog consumed every archived event' },
  );
}

async function rows(tenantId: string): Promise<{ mailbox_id: string; folder: string; sha256: string }[]> {
  const result = await db.query<{ mailbox_id: string; folder: string; sha256: string }>(
    `SELECT mailbox_id, folder, sha256 FROM catalog.message WHERE tenant_id = $1 ORDER BY folder, mailbox_id`,
    [tenantId],
  );
  return result.rows;
}

function search(request: MessageSearchRequest) {
  return bus.request(MESSAGE_SEARCH_V1, request);
}

beforeAll(async () => {
  harness = await startServiceHarness({ name: 'catalog', database: true, blobs: true });
  ({ bus, sql: db, dataDir, blobs, logger: quiet } = harness);
  await harness.startService({
    name: 'catalog',
    env: CatalogEnv,
    schema: CATALOG_SCHEMA,
    streams: [ARCHIVE_EVENTS_STREAM],
    module: ({ config, logger }) => CatalogModule.forRoot({ blobs: createBlobDriver(config, { logger }) }),
  });
});

afterAll(() => harness?.close());

describe('ingestion (A3)', () => {
  it('stores one row per message per mailbox, idempotently, however often an event arrives', async () => {
    const tenantId = randomUUID();
    const mailboxA = randomUUID();
    const mailboxB = randomUUID();
    const sha256 = randomHash();
    const inInbox = archived({ tenantId, mailboxId: mailboxA, sha256, sourceIdentity: 'imap:INBOX:7:1' });
    const inArchive = archived({
      tenantId,
      mailboxId: mailboxA,
      sha256,
      folder: 'Archive/2024',
      sourceIdentity: 'imap:Archive/2024:7:1',
    });
    const inOtherMailbox = archived({
      tenantId,
      mailboxId: mailboxB,
      sha256,
      sourceIdentity: 'imap:INBOX:7:1',
    });
    // Each event twice in one burst (same batch, or two) and once more later (a redelivery).
    await publish(inInbox, inArchive, inOtherMailbox, inInbox, inArchive, inOtherMailbox);
    await ingested();
    await publish(inInbox, { ...inArchive, archivedAt: new Date().toISOString() });
    await ingested();

    const stored = await rows(tenantId);
    expect(stored).toHaveLength(3);
    expect(new Set(stored.map((row) => row.sha256))).toEqual(new Set([sha256]));
    expect(stored.map((row) => `${row.mailbox_id === mailboxA ? 'A' : 'B'}:${row.folder}`).sort()).toEqual([
      'A:Archive/2024',
      'A:INBOX',
      'B:INBOX',
    ]);
  });

  it('adds no row for a rescanned message whose content the folder already has', async () => {
    const tenantId = randomUUID();
    const mailboxId = randomUUID();
    const known = archived({ tenantId, mailboxId, sourceIdentity: 'imap:INBOX:1:5' });
    await publish(known);
    await ingested();
    // UIDVALIDITY changed: the folder is archived again under new identities.
    const again = archived({ ...known, sourceIdentity: 'imap:INBOX:2:1', rescan: true });
    const newContent = archived({ tenantId, mailboxId, sourceIdentity: 'imap:INBOX:2:2', rescan: true });
    const newContentTwice = { ...newContent, sourceIdentity: 'imap:INBOX:2:3' };
    const elsewhere = archived({ ...known, folder: 'Sent', sourceIdentity: 'imap:Sent:2:1', rescan: true });
    await publish(again);
    await ingested();
    await publish(newContent);
    await ingested();
    await publish(newContentTwice, elsewhere);
    await ingested();
    const stored = await rows(tenantId);
    expect(stored.map((row) => `${row.folder}:${row.sha256}`).sort()).toEqual(
      [`INBOX:${known.sha256}`, `INBOX:${newContent.sha256}`, `Sent:${known.sha256}`].sort(),
    );
  });

  it('terminates a poison event (invalid, or refused by the database) without holding back its batch', async () => {
    const tenantId = randomUUID();
    const mailboxId = randomUUID();
    const good = Array.from({ length: 20 }, (_, i) =>
      archived({ tenantId, mailboxId, sourceIdentity: `pop3:${i}` }),
    );
    // Valid ISO-8601 that PostgreSQL cannot store (year 0): fails inside a batch of good rows.
    const refused = archived({
      tenantId,
      mailboxId,
      sourceIdentity: 'pop3:refused',
      archivedAt: '0000-01-01T00:00:00.000Z',
    });
    await Promise.all([
      publish(...good.slice(0, 10)),
      bus.jetstream.publish(MESSAGE_ARCHIVED_V1.subject, JSON.stringify({ tenantId, hello: 'not an event' })),
      publish(refused),
      publish(...good.slice(10)),
    ]);
    await ingested();
    expect(await rows(tenantId)).toHaveLength(20);
    // The service goes on with later events.
    await publish(archived({ tenantId, mailboxId, sourceIdentity: 'pop3:later' }));
    await ingested();
    expect(await rows(tenantId)).toHaveLength(21);
  });

  it('decodes headers into the row the API shows', async () => {
    const tenantId = randomUUID();
    const mailboxId = randomUUID();
    const event = archived({
      tenantId,
      mailboxId,
      messageId: '<abc@example.com>',
      subject: '=?utf-8?Q?Gr=C3=BC=C3=9Fe?= aus =?iso-8859-1?Q?K=F6ln?=',
      from: '=?utf-8?B?SsO2cmc=?= <Joerg@Example.DE>',
      to: Buffer.from('"Zoë" <zoe@example.com>', 'utf8').toString('latin1'),
      date: 'Tue, 1 Jul 2003 10:52:37 +0200',
    });
    await publish(event);
    await ingested();
    const page = await search({ tenantId });
    expect(page.items).toHaveLength(1);
    const message = await bus.request(MESSAGE_GET_V1, { tenantId, id: page.items[0]!.id });
    expect(message).toMatchObject({
      mailboxId,
      folder: 'INBOX',
      sha256: event.sha256,
      size: 100,
      messageId: '<abc@example.com>',
      subject: 'Grüße aus Köln',
      from: 'Jörg <Joerg@Example.DE>',
      to: '"Zoë" <zoe@example.com>',
      cc: null,
      date: '2003-07-01T08:52:37.000Z',
      archivedAt: event.archivedAt,
      runId,
    });
  });
});

describe('task tally (issue 17 item 8)', () => {
  it('counts the rows and bytes one task wrote, once the events up to the given sequence are ingested', async () => {
    const tenantId = randomUUID();
    const mailboxId = randomUUID();
    const killedTask = randomUUID();
    const earlierTask = randomUUID();
    const ofTask = [100, 2_000, 30_000].map((size) =>
      archived({ tenantId, mailboxId, taskId: killedTask, size }),
    );
    const jsm = await bus.jetstreamManager();
    await publish(archived({ tenantId, mailboxId, taskId: earlierTask, size: 7 }), ...ofTask);
    // A redelivered attempt's resend of one of them adds no row.
    await publish(ofTask[0] as MessageArchivedEvent);
    const through = (await jsm.streams.info(ARCHIVE_EVENTS_STREAM.name)).state.last_seq;
    const tally = await waitFor(
      () =>
        bus
          .request(TASK_TALLY_V1, {
            tenantId,
            mailboxId,
            taskId: killedTask,
            throughSequence: through,
          })
          .catch((error: unknown) => {
            // Only "not ingested yet" is worth asking again.
            if (!(error instanceof ContractError) || error.reason !== 'catalog_behind') throw error;
            return undefined;
          }),
      { timeoutMs: 30_000, intervalMs: 50, description: 'the tally' },
    );
    expect(tally).toEqual({ messages: 3, bytes: 32_100 });
  });
});

describe('queries (A4)', () => {
  const tenantId = randomUUID();
  const otherTenant = randomUUID();
  const sales = randomUUID();
  const support = randomUUID();
  const ids = new Map<string, string>();

  beforeAll(async () => {
    const events = [
      archived({
        tenantId,
        mailboxId: sales,
        sourceIdentity: 'm1',
        subject: 'Quarterly report',
        from: 'Alice Smith <alice.smith@example.com>',
        to: 'bob@example.org',
        date: '1 Jan 2024 10:00:00 +0000',
      }),
      archived({
        tenantId,
        mailboxId: sales,
        sourceIdentity: 'm2',
        folder: 'Sent',
        subject: 'Réunion budgétaire',
        from: 'bob@example.org',
        to: 'Alice <alice.smith@example.com>',
        cc: 'carol@corp.example',
        date: '2 Feb 2024 10:00:00 +0000',
      }),
      archived({
        tenantId,
        mailboxId: sales,
        sourceIdentity: 'm3',
        subject: '50% off_sale',
        from: 'deals@shop.example',
        to: 'alice.smith@example.com',
        date: '3 Mar 2024 10:00:00 +0000',
      }),
      archived({
        tenantId,
        mailboxId: support,
        sourceIdentity: 'm4',
        subject: 'Ticket 42: printer',
        from: '"Müller, Jörg" <jm@example.de>',
        to: 'support@example.com',
        date: '4 Apr 2024 10:00:00 +0000',
      }),
      archived({
        tenantId,
        mailboxId: support,
        sourceIdentity: 'm5',
        subject: 'No date here',
        from: 'x@y.example',
        to: 'support@example.com',
      }),
      archived({
        tenantId: otherTenant,
        mailboxId: randomUUID(),
        sourceIdentity: 'm6',
        subject: 'Quarterly report',
        from: 'alice.smith@example.com',
      }),
    ];
    await publish(...events);
    await ingested();
    for (const tenant of [tenantId, otherTenant]) {
      for (const item of (await search({ tenantId: tenant })).items) ids.set(item.subject ?? '', item.id);
    }
  });

  const subjects = async (request: Omit<MessageSearchRequest, 'tenantId'>, tenant = tenantId) =>
    (await search({ tenantId: tenant, ...request })).items.map((item) => item.subject);

  it('lists newest first (by Date, else archive time) and filters by mailbox and folder', async () => {
    expect(await subjects({})).toEqual([
      'No date here',
      'Ticket 42: printer',
      '50% off_sale',
      'Réunion budgétaire',
      'Quarterly report',
    ]);
    expect(await subjects({ mailboxId: sales })).toEqual([
      '50% off_sale',
      'Réunion budgétaire',
      'Quarterly report',
    ]);
    expect(await subjects({ mailboxId: sales, folder: 'Sent' })).toEqual(['Réunion budgétaire']);
    expect(await subjects({ folder: 'sent' })).toEqual([]);
  });

  it('filters by date range, sender, recipient and subject text', async () => {
    expect(await subjects({ after: '2024-02-02T10:00:00Z', before: '2024-04-04T10:00:00Z' })).toEqual([
      '50% off_sale',
      'Réunion budgétaire',
    ]);
    expect(await subjects({ from: 'BOB@example.org' })).toEqual(['Réunion budgétaire']);
    expect(await subjects({ from: 'müller' })).toEqual(['Ticket 42: printer']);
    expect(await subjects({ from: 'example.com' })).toEqual(['Quarterly report']);
    // `to` covers Cc; an exact address does not match a longer one.
    expect(await subjects({ to: 'carol@corp.example' })).toEqual(['Réunion budgétaire']);
    expect(await subjects({ to: 'smith@example.com' })).toEqual([]);
    expect(await subjects({ to: 'alice.smith@example.com' })).toEqual(['50% off_sale', 'Réunion budgétaire']);
    expect(await subjects({ subject: 'RÉUNION' })).toEqual(['Réunion budgétaire']);
    // % and _ are literal.
    expect(await subjects({ subject: '% off_' })).toEqual(['50% off_sale']);
    expect(await subjects({ subject: 'o_f' })).toEqual([]);
  });

  it('searches full text over subject, names and addresses', async () => {
    expect(await subjects({ q: 'quarterly' })).toEqual(['Quarterly report']);
    expect(await subjects({ q: 'alice' })).toEqual([
      '50% off_sale',
      'Réunion budgétaire',
      'Quarterly report',
    ]);
    expect(await subjects({ q: 'alice -quarterly' })).toEqual(['50% off_sale', 'Réunion budgétaire']);
    expect(await subjects({ q: 'budgétaire' })).toEqual(['Réunion budgétaire']);
    expect(await subjects({ q: 'jörg' })).toEqual(['Ticket 42: printer']);
    expect(await subjects({ q: 'jm@example.de' })).toEqual(['Ticket 42: printer']);
    expect(await subjects({ q: '"ticket 42"' })).toEqual(['Ticket 42: printer']);
    expect(await subjects({ q: 'example.de or shop' })).toEqual(['Ticket 42: printer', '50% off_sale']);
  });

  it('pages with cursors, stable while rows are added', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await search({ tenantId, limit: 2, ...(cursor && { cursor }) });
      seen.push(...page.items.map((item) => item.subject ?? ''));
      cursor = page.nextCursor ?? undefined;
      pages++;
      if (pages === 1) {
        // A message dated before the first page's last item shows up in a later page, once.
        await publish(
          archived({
            tenantId,
            mailboxId: support,
            sourceIdentity: 'm7',
            subject: 'Late',
            date: '1 Mar 2024 00:00:00 +0000',
          }),
        );
        await ingested();
      }
    } while (cursor);
    expect(seen).toEqual([
      'No date here',
      'Ticket 42: printer',
      '50% off_sale',
      'Late',
      'Réunion budgétaire',
      'Quarterly report',
    ]);
    expect(pages).toBe(3);
  });

  it('keeps tenants apart: another tenant’s message is NOT_FOUND', async () => {
    const foreign = ids.get('Quarterly report');
    expect((await search({ tenantId: otherTenant })).items.map((item) => item.subject)).toEqual([
      'Quarterly report',
    ]);
    const own = (await search({ tenantId, q: 'quarterly' })).items[0]!;
    expect(own.id).not.toBe(foreign);
    const otherId = (await search({ tenantId: otherTenant })).items[0]!.id;
    await expect(bus.request(MESSAGE_GET_V1, { tenantId, id: otherId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(bus.request(MESSAGE_LOCATE_RAW_V1, { tenantId, id: otherId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(bus.request(MESSAGE_GET_V1, { tenantId, id: 'not-a-uuid' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await bus.request(MESSAGE_LOCATE_RAW_V1, { tenantId, id: own.id })).toEqual({
      id: own.id,
      tenantId,
      sha256: own.sha256,
      size: own.size,
      subject: 'Quarterly report',
    });
  });

  it('answers bad input with VALIDATION naming the field', async () => {
    await expect(search({ tenantId, cursor: 'bogus' })).rejects.toMatchObject({
      code: 'VALIDATION',
      fields: [{ field: 'cursor' }],
    });
    await expect(search({ tenantId, q: '!!! ---' })).rejects.toMatchObject({
      code: 'VALIDATION',
      fields: [{ field: 'q' }],
    });
    await expect(
      search({ tenantId, after: '2024-05-01T00:00:00Z', before: '2024-01-01T00:00:00Z' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      fields: [{ field: 'before' }],
    });
    await expect(search({ tenantId, mailboxId: 'nope' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('integrity checks (A4)', () => {
  async function store(tenantId: string, text: string) {
    return blobs.put(tenantId, Readable.from([Buffer.from(text)]));
  }

  function finished(tenantId: string, id: string): Promise<IntegrityCheck> {
    return waitFor(
      async () => {
        const check = await bus.request(INTEGRITY_CHECK_GET_V1, { tenantId, id });
        return check.status === 'running' ? undefined : check;
      },
      { timeoutMs: 30_000, description: `integrity check ${id} finished` },
    );
  }

  it('re-hashes every blob of the tenant and reports mismatches and missing blobs', async () => {
    const tenantId = randomUUID();
    const mailboxId = randomUUID();
    const intact = await store(tenantId, 'Subject: intact\r\n\r\nfine\r\n');
    const damaged = await store(tenantId, 'Subject: damaged\r\n\r\nwill rot\r\n');
    const lost = await store(tenantId, 'Subject: lost\r\n\r\nwill vanish\r\n');
    await publish(
      ...[intact, damaged, lost].map((blob, i) =>
        archived({ tenantId, mailboxId, sourceIdentity: `pop3:${i}`, sha256: blob.sha256, size: blob.size }),
      ),
      // The same blob in another folder is one blob to check.
      archived({
        tenantId,
        mailboxId,
        folder: 'Other',
        sourceIdentity: 'pop3:x',
        sha256: intact.sha256,
        size: intact.size,
      }),
    );
    await ingested();
    const root = join(dataDir, FILESYSTEM_BLOBS_DIR);
    writeFileSync(
      join(root, blobKey({ tenantId, sha256: damaged.sha256 })),
      'Subject: damaged\r\n\r\nrotten\r\n',
    );
    unlinkSync(join(root, blobKey({ tenantId, sha256: lost.sha256 })));

    const started = await bus.request(INTEGRITY_CHECK_START_V1, { tenantId });
    expect(started).toMatchObject({ status: 'running', total: 3, mismatches: [], missing: [] });
    const check = await finished(tenantId, started.id);
    expect(check).toMatchObject({
      status: 'succeeded',
      checked: 3,
      total: 3,
      mismatchCount: 1,
      missingCount: 1,
      missing: [{ sha256: lost.sha256, expectedSize: lost.size }],
      error: null,
    });
    expect(check.mismatches).toEqual([
      {
        sha256: damaged.sha256,
        actualSha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
        expectedSize: damaged.size,
        actualSize: Buffer.byteLength('Subject: damaged\r\n\r\nrotten\r\n'),
      },
    ]);
    expect(check.mismatches[0]!.actualSha256).not.toBe(damaged.sha256);
    expect(check.finishedAt).not.toBeNull();
    await expect(
      bus.request(INTEGRITY_CHECK_GET_V1, { tenantId: randomUUID(), id: started.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('checks blobs in segments by their location: a damaged or lost segment names exactly its messages', async () => {
    const tenantId = randomUUID();
    const mailboxId = randomUUID();
    const segmented = new SegmentedBlobStore(blobs, {
      thresholdBytes: 64 * 1024,
      maxBytes: 1 << 20,
      maxAgeMs: 1_000,
      lingerMs: 2,
    });
    const texts = ['intact', 'rots', 'also intact'].map((word) => `Subject: ${word}\r\n\r\n${word}\r\n`);
    const [intact, rots, alsoIntact] = await Promise.all(
      texts.map((text) => segmented.put(tenantId, Buffer.from(text))),
    );
    const [lostA, lostB] = await Promise.all(
      ['lost a', 'lost b'].map((word) => segmented.put(tenantId, Buffer.from(`Subject: ${word}\r\n\r\n`))),
    );
    // Stored before segments existed: its own object, no location, checked alongside.
    const legacy = await store(tenantId, 'Subject: legacy\r\n\r\nold layout\r\n');
    const located = [intact!, rots!, alsoIntact!, lostA!, lostB!];
    expect(new Set(located.slice(0, 3).map((blob) => blob.location!.segmentId)).size).toBe(1);
    expect(lostA!.location!.segmentId).toBe(lostB!.location!.segmentId);
    expect(lostA!.location!.segmentId).not.toBe(intact!.location!.segmentId);
    await publish(
      ...located.map((blob, i) =>
        archived({
          tenantId,
          mailboxId,
          sourceIdentity: `pop3:seg-${i}`,
          sha256: blob.sha256,
          size: blob.size,
          segmentId: blob.location!.segmentId,
          segmentOffset: blob.location!.offset,
        }),
      ),
      archived({
        tenantId,
        mailboxId,
        sourceIdentity: 'pop3:legacy',
        sha256: legacy.sha256,
        size: legacy.size,
      }),
    );
    await ingested();
    const [row] = (
      await db.query<{ id: string }>(`SELECT id FROM catalog.message WHERE tenant_id = $1 AND sha256 = $2`, [
        tenantId,
        rots!.sha256,
      ])
    ).rows;
    expect(await bus.request(MESSAGE_LOCATE_RAW_V1, { tenantId, id: row!.id })).toMatchObject({
      sha256: rots!.sha256,
      size: rots!.size,
      segmentId: rots!.location!.segmentId,
      segmentOffset: rots!.location!.offset,
    });
    const root = join(dataDir, FILESYSTEM_BLOBS_DIR);
    const segmentPath = join(root, segmentKey(tenantId, rots!.location!.segmentId));
    const segment = readFileSync(segmentPath);
    segment[rots!.location!.offset] = segment[rots!.location!.offset]! ^ 0x20;
    writeFileSync(segmentPath, segment);
    unlinkSync(join(root, segmentKey(tenantId, lostA!.location!.segmentId)));

    const started = await bus.request(INTEGRITY_CHECK_START_V1, { tenantId });
    const check = await finished(tenantId, started.id);

    expect(check).toMatchObject({
      status: 'succeeded',
      checked: 6,
      total: 6,
      mismatchCount: 1,
      missingCount: 2,
    });
    expect(check.mismatches).toEqual([
      expect.objectContaining({ sha256: rots!.sha256, expectedSize: rots!.size, actualSize: rots!.size }),
    ]);
    expect(check.missing.map((finding) => finding.sha256).sort()).toEqual(
      [lostA!.sha256, lostB!.sha256].sort(),
    );
  });

  it('runs one check per tenant at a time: CONFLICT names the running one', async () => {
    const tenantId = randomUUID();
    const runningId = randomUUID();
    // A check another catalog process is working on (its heartbeat is fresh).
    await db.query(
      `INSERT INTO catalog.integrity_check (id, tenant_id, status, owner) VALUES ($1, $2, 'running', $3)`,
      [runningId, tenantId, randomUUID()],
    );
    await expect(bus.request(INTEGRITY_CHECK_START_V1, { tenantId })).rejects.toMatchObject({
      code: 'CONFLICT',
      reason: 'integrity_check_running',
      references: [{ kind: 'integrity-check', id: runningId }],
    });
    expect(await bus.request(INTEGRITY_CHECK_GET_V1, { tenantId, id: runningId })).toMatchObject({
      status: 'running',
      checked: 0,
    });
  });

  it('resumes a check whose process died, from where it stopped', async () => {
    const tenantId = randomUUID();
    const mailboxId = randomUUID();
    const stored = await Promise.all(
      ['one', 'two', 'three'].map((text) => store(tenantId, `Subject: ${text}\r\n\r\n`)),
    );
    await publish(
      ...stored.map((blob, i) =>
        archived({ tenantId, mailboxId, sourceIdentity: `pop3:${i}`, sha256: blob.sha256, size: blob.size }),
      ),
    );
    await ingested();
    const [first] = stored.map((blob) => blob.sha256).sort();
    // Killed after its first blob: position and counter committed, heartbeat long gone.
    const checkId = randomUUID();
    await db.query(
      `INSERT INTO catalog.integrity_check (id, tenant_id, status, total, checked, position, owner, heartbeat_at)
       VALUES ($1, $2, 'running', 3, 1, $3, $4, now() - interval '1 hour')`,
      [checkId, tenantId, first, randomUUID()],
    );
    // A second catalog process (its own runner over the same database and store) takes it over.
    const dataSource = createDataSource({ url: harness.database.url, ...CATALOG_SCHEMA });
    await dataSource.initialize();
    try {
      const context = {
        logger: quiet,
        metrics: createMetrics({ service: 'catalog' }),
      } as ServiceContext<unknown>;
      const runner = new IntegrityRunner(new IntegrityChecksRepository(dataSource), blobs, context);
      // The blob before the position is gone: a resumed check must not read it again.
      unlinkSync(join(dataDir, FILESYSTEM_BLOBS_DIR, blobKey({ tenantId, sha256: first! })));
      await runner.resumeAbandoned();
      await runner.idle();
    } finally {
      await dataSource.destroy();
    }
    // (The service's own runner may win the takeover when its periodic look comes first: either way
    // the check resumes after its position.)
    const check = await finished(tenantId, checkId);
    expect(check).toMatchObject({ status: 'succeeded', checked: 3, missingCount: 0, mismatchCount: 0 });
  });
});
