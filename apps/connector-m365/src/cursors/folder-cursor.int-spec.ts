import { randomUUID } from 'node:crypto';

import { CursorStore } from '@mailkeep/connector-kit';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { type PrivateNatsServer, startNatsServer } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FolderCursor, type M365FolderCursor, MAX_REMEMBERED_FAILURES } from './folder-cursor.js';

/** The folder cursor in the kit's real KV bucket (a private NATS with JetStream). */
const logger = createLogger({ service: 'connector-m365-cursor-test', level: 'fatal' });
let nats: PrivateNatsServer;
let bus: MessageBus;
let store: CursorStore<M365FolderCursor>;

const INITIAL = '/users/alice%40contoso.example/mailFolders/AAMkAD1/messages/delta?$select=id,flag';
const DELTA =
  'https://graph.microsoft.com/v1.0/users/alice%40contoso.example/mailFolders/AAMkAD1/messages/delta?$deltatoken=LztZwWjo5IivWBhyxw5rA';

beforeAll(async () => {
  nats = await startNatsServer();
  bus = await MessageBus.connect({ servers: nats.url, name: 'cursor-test', logger });
  store = await CursorStore.open<M365FolderCursor>(bus);
});

afterAll(async () => {
  await bus?.close();
  await nats?.stop();
});

const key = () => ({ tenantId: randomUUID(), mailboxId: randomUUID(), folderId: `AAMkAD${randomUUID()}` });

describe('FolderCursor', () => {
  it('starts at the initial delta request and keeps the saved link, failures and undone deletes', async () => {
    const k = key();
    const fresh = await FolderCursor.load(store, k, INITIAL);
    expect(fresh.state).toEqual({ version: 1, link: INITIAL, failed: [], undeleted: [] });
    expect(fresh.started).toBe(false);
    await fresh.save({
      link: DELTA,
      failed: [{ id: 'AAkALgAAA1', flagged: true }],
      undeleted: ['AAkALgAAA2'],
    });
    const again = await FolderCursor.load(store, k, INITIAL);
    expect(again.state).toEqual({
      version: 1,
      link: DELTA,
      failed: [{ id: 'AAkALgAAA1', flagged: true }],
      undeleted: ['AAkALgAAA2'],
    });
    expect(again.started).toBe(true);
  });

  it('keeps the newest failures up to the bound and reports the ones dropped', async () => {
    const cursor = await FolderCursor.load(store, key(), INITIAL);
    const failed = Array.from({ length: MAX_REMEMBERED_FAILURES + 3 }, (_, i) => ({
      id: `AAkALg${i}`,
      flagged: false,
    }));
    const dropped = await cursor.save({ link: DELTA, failed, undeleted: [] });
    expect(dropped.map((m) => m.id)).toEqual(['AAkALg0', 'AAkALg1', 'AAkALg2']);
    expect(cursor.state.failed).toHaveLength(MAX_REMEMBERED_FAILURES);
    expect(cursor.state.failed[0]?.id).toBe('AAkALg3');
  });

  it('refuses to overwrite a cursor another writer saved in between', async () => {
    const k = key();
    const mine = await FolderCursor.load(store, k, INITIAL);
    const theirs = await FolderCursor.load(store, k, INITIAL);
    await theirs.save({ link: DELTA, failed: [], undeleted: [] });
    await expect(mine.save({ link: `${DELTA}x`, failed: [], undeleted: [] })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});
