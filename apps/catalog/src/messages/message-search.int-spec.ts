import { randomUUID } from 'node:crypto';

import { type ServiceHarness, startServiceHarness } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CATALOG_SCHEMA } from '../database/catalog-schema.js';
import { parseSearchQuery } from '../text/search-query.js';
import { type MessageFilter, type MessageRow, MessagesRepository } from './messages.repository.js';

/**
 * The page a text search picks, on either of its two paths (messages.repository.ts): the newest
 * rows matched one by one when they hold a whole page, else every match from the GIN index. Real
 * PostgreSQL; more rows than the recent window, so both paths run. Each page is compared with the
 * answer worked out here from the rows themselves.
 */

const ROWS = 3_000;
const PAGE = 51;

let harness: ServiceHarness;
let messages: MessagesRepository;
const tenantId = randomUUID();
const mailboxes = [randomUUID(), randomUUID()];
/** What each row holds, newest first (the search order). */
let rows: { id: string; sortAt: Date; mailboxId: string; words: string }[] = [];

beforeAll(async () => {
  harness = await startServiceHarness({
    name: 'catalog-message-search',
    database: CATALOG_SCHEMA,
    bus: false,
    logLevel: 'fatal',
  });
  messages = new MessagesRepository(harness.dataSource);
  const start = Date.UTC(2026, 0, 1);
  rows = Array.from({ length: ROWS }, (_, i) => ({
    id: randomUUID(),
    sortAt: new Date(start + i * 60_000),
    mailboxId: mailboxes[i % 2]!,
    // Every row: "common"; the 60 oldest: "rare"; every 50th row: "sparse" (60, 40 of them among
    // the newest 2,000: fewer than a page).
    words: ['common', i < 60 ? 'rare' : '', i % 50 === 0 ? 'sparse' : ''].join(' '),
  })).reverse();
  await harness.sql.query(
    `INSERT INTO catalog.message (id, tenant_id, mailbox_id, source_key, source_identity, folder, sha256, size,
                                  date, sort_at, archived_at, run_id, task_id, search)
     SELECT v.id, $2, v.mailbox_id, v.id::text, v.id::text, 'INBOX', md5(v.id::text) || md5(v.id::text), 100,
            v.sort_at, v.sort_at, now(), $3, $3, to_tsvector('simple', v.words)
     FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, mailbox_id uuid, sort_at timestamptz, words text)`,
    [
      JSON.stringify(
        rows.map((r) => ({ id: r.id, mailbox_id: r.mailboxId, sort_at: r.sortAt, words: r.words })),
      ),
      tenantId,
      randomUUID(),
    ],
  );
  await harness.sql.query(`ANALYZE catalog.message`);
});

afterAll(() => harness?.close());

function search(q: string, extra: Partial<MessageFilter> = {}): Promise<MessageRow[]> {
  return messages.search({ tenantId, q: parseSearchQuery(q), ...extra }, PAGE);
}

function expected(word: string, keep: (row: (typeof rows)[number]) => boolean = () => true): string[] {
  return rows.filter((row) => row.words.split(' ').includes(word) && keep(row)).map((row) => row.id);
}

describe('a text search picks the newest matches, whichever path finds them', () => {
  it('a word in every message: the newest page, from the recent rows', async () => {
    expect((await search('common')).map((r) => r.id)).toEqual(expected('common').slice(0, PAGE));
  });

  it('a word only in the oldest messages: every match through the index, newest first, paged by cursor', async () => {
    const first = await search('rare');
    expect(first.map((r) => r.id)).toEqual(expected('rare').slice(0, PAGE));
    const last = first[first.length - 1]!;
    const second = await search('rare', { cursor: { sortAt: last.sort_at, id: last.id } });
    expect(second.map((r) => r.id)).toEqual(expected('rare').slice(PAGE));
  });

  it('a word in 1 of 50 messages: fewer than a page among the recent rows, so found through the index', async () => {
    expect((await search('sparse')).map((r) => r.id)).toEqual(expected('sparse').slice(0, PAGE));
  });

  it('a word in no message: nothing', async () => {
    expect(await search('nowheretobefound')).toEqual([]);
  });

  it('other filters hold on both paths', async () => {
    const inFirst = (row: (typeof rows)[number]) => row.mailboxId === mailboxes[0];
    expect((await search('common', { mailboxId: mailboxes[0] })).map((r) => r.id)).toEqual(
      expected('common', inFirst).slice(0, PAGE),
    );
    expect((await search('rare', { mailboxId: mailboxes[0] })).map((r) => r.id)).toEqual(
      expected('rare', inFirst),
    );
    const before = rows[ROWS - 20]!.sortAt;
    const older = (row: (typeof rows)[number]) => row.sortAt < before;
    expect((await search('rare', { before })).map((r) => r.id)).toEqual(expected('rare', older));
  });
});
