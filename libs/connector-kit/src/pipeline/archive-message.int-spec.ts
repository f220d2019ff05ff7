import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { ARCHIVE_EVENTS_STREAM, MESSAGE_ARCHIVED_V1, type MessageArchivedEvent } from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { createMetrics, type Logger } from '@mailkeep/observability';
import { blobKey, type FilesystemBlobStore, SegmentedBlobStore } from '@mailkeep/storage';
import { type ServiceHarness, startServiceHarness, storedEvents } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CursorStore, cursorKey } from '../cursors/cursor-store.js';
import { createConnectorMetrics } from '../metrics.js';
import { archivedEventMsgId, createMessageArchiver, type MessageArchiver } from './archive-message.js';

let harness: ServiceHarness;
let logger: Logger;
let bus: MessageBus;
let blobs: FilesystemBlobStore;
let archive: MessageArchiver;
const metrics = createMetrics({ service: 'connector-kit-test' });

beforeAll(async () => {
  harness = await startServiceHarness({ name: 'connector-kit', blobs: true });
  ({ logger, bus, blobs } = harness);
  archive = createMessageArchiver({ bus, blobs, logger, metrics: createConnectorMetrics(metrics, 'imap') });
});

afterAll(() => harness?.close());

/** Every archived event on the stream for `mailboxId`, in stream order. */
async function archivedEvents(mailboxId: string): Promise<MessageArchivedEvent[]> {
  const events = await storedEvents<MessageArchivedEvent>(bus, MESSAGE_ARCHIVED_V1.subject);
  return events.filter((event) => event.mailboxId === mailboxId);
}

function ids() {
  return { tenantId: randomUUID(), mailboxId: randomUUID(), runId: randomUUID(), taskId: randomUUID() };
}

const MESSAGE = Buffer.concat([
  Buffer.from(
    'Message-ID: <m1@example.com>\r\nSubject: Hello\r\n there\r\nFrom: a@example.com\r\nTo: b@example.com\r\n' +
      'Cc: c@example.com\r\nDate: Tue, 24 Nov 2026 06:00:00 +0000\r\n\r\n',
    'latin1',
  ),
  Buffer.from('body\0with NUL\nlone LF \xff\xfe 8-bit\r\n', 'latin1'),
]);

describe('archive pipeline', () => {
  it('stores the message byte for byte and publishes its headers once; a re-archive is a duplicate', async () => {
    const task = ids();
    const input = { ...task, sourceIdentity: 'imap:INBOX:7:42', folder: 'INBOX' };
    const first = await archive({
      ...input,
      source: Readable.from([MESSAGE.subarray(0, 10), MESSAGE.subarray(10)]),
    });
    expect(first).toMatchObject({ ok: true, created: true, duplicate: false, size: MESSAGE.length });
    if (!first.ok) throw new Error('unreachable');
    expect(
      readFileSync(join(blobs.root, blobKey({ tenantId: task.tenantId, sha256: first.sha256 }))).equals(
        MESSAGE,
      ),
    ).toBe(true);

    const second = await archive({ ...input, source: Readable.from([MESSAGE]) });
    expect(second).toMatchObject({ ok: true, created: false, duplicate: true, sha256: first.sha256 });

    const events = await archivedEvents(task.mailboxId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      ...task,
      sourceIdentity: 'imap:INBOX:7:42',
      folder: 'INBOX',
      sha256: first.sha256,
      size: MESSAGE.length,
      created: true,
      messageId: '<m1@example.com>',
      subject: 'Hello there',
      from: 'a@example.com',
      to: 'b@example.com',
      cc: 'c@example.com',
      date: 'Tue, 24 Nov 2026 06:00:00 +0000',
    });
    const jsm = await bus.jetstreamManager();
    const stored = await jsm.streams.getMessage(ARCHIVE_EVENTS_STREAM.name, {
      last_by_subj: MESSAGE_ARCHIVED_V1.subject,
    });
    expect(stored?.header?.get('Nats-Msg-Id')).toBe(
      archivedEventMsgId(task.tenantId, task.mailboxId, 'imap:INBOX:7:42'),
    );
    const exposition = await metrics.registry.getSingleMetricAsString(
      'mailkeep_connector_messages_archived_total',
    );
    expect(exposition).toMatch(/result="duplicate"[^\n]* 1/);
    expect(events[0]?.rescan).toBeUndefined();
  });

  it('archives a message given as a buffer exactly as the same bytes streamed', async () => {
    const streamed = ids();
    const buffered = { ...ids(), tenantId: streamed.tenantId };
    const input = { sourceIdentity: 'imap:INBOX:7:43', folder: 'INBOX' };
    const fromStream = await archive({ ...streamed, ...input, source: Readable.from([MESSAGE]) });
    const fromBuffer = await archive({ ...buffered, ...input, source: MESSAGE });

    // The stream stored it first; the buffer's event is another mailbox's, so a later one.
    expect(fromBuffer).toEqual({ ...fromStream, created: false });
    const strip = ({
      mailboxId: _m,
      runId: _r,
      taskId: _t,
      archivedAt: _a,
      created: _c,
      ...rest
    }: MessageArchivedEvent) => rest;
    const [streamEvent] = await archivedEvents(streamed.mailboxId);
    const [bufferEvent] = await archivedEvents(buffered.mailboxId);
    expect(bufferEvent && strip(bufferEvent)).toEqual(streamEvent && strip(streamEvent));
    expect(bufferEvent).toMatchObject({ ...buffered, subject: 'Hello there', created: false });
  });

  it('marks the event of a message archived again after the source renumbered its folder', async () => {
    const task = ids();
    const result = await archive({
      ...task,
      sourceIdentity: 'imap:INBOX:8:1',
      folder: 'INBOX',
      source: Readable.from([MESSAGE]),
      rescan: true,
    });
    expect(result).toMatchObject({ ok: true, duplicate: false });
    expect((await archivedEvents(task.mailboxId))[0]).toMatchObject({
      sourceIdentity: 'imap:INBOX:8:1',
      rescan: true,
    });
  });

  it('returns a failure and publishes nothing when the source breaks mid-way', async () => {
    const task = ids();
    const source = new Readable({ read() {} });
    source.push(MESSAGE.subarray(0, 20));
    const result = archive({ ...task, sourceIdentity: 'imap:INBOX:7:43', folder: 'INBOX', source });
    setImmediate(() => source.destroy(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' })));
    expect(await result).toMatchObject({
      ok: false,
      sourceIdentity: 'imap:INBOX:7:43',
      stage: 'source',
      error: { category: 'network', retryable: true },
    });
    expect(await archivedEvents(task.mailboxId)).toEqual([]);
  });

  it('fails a stalled source after the idle timeout', async () => {
    const task = ids();
    const stalled = createMessageArchiver({ bus, blobs, logger, idleTimeoutMs: 50 });
    const source = new Readable({ read() {} });
    source.push(MESSAGE.subarray(0, 20));
    const result = await stalled({ ...task, sourceIdentity: 'pop3:x', folder: '', source });
    expect(result).toMatchObject({ ok: false, stage: 'source', error: { category: 'timeout' } });
  });
});

describe('archive pipeline with segments (group commit, decision 0020)', () => {
  /** A segmented store whose segment writes wait for `release()`, so the test sees what precedes durability. */
  function gatedSegments() {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let writes = 0;
    const driver = Object.assign(Object.create(blobs) as FilesystemBlobStore, {
      writeSegment: async (tenantId: string, segmentId: string, chunks: readonly Buffer[]) => {
        writes += 1;
        await gate;
        return blobs.writeSegment(tenantId, segmentId, chunks);
      },
    });
    const store = new SegmentedBlobStore(driver, {
      thresholdBytes: 64 * 1024,
      maxBytes: 1 << 20,
      maxAgeMs: 1_000,
      lingerMs: 2,
    });
    return { store, release, writes: () => writes };
  }

  it('publishes no event before the segment is durable, then one per message with its location', async () => {
    const task = ids();
    const segments = gatedSegments();
    const archiveSegmented = createMessageArchiver({ bus, blobs: segments.store, logger });
    const messages = Array.from({ length: 12 }, (_, n) =>
      Buffer.concat([Buffer.from(`Message-ID: <${n}@example.com>\r\nSubject: n${n}\r\n\r\n`), MESSAGE]),
    );
    const results = messages.map((source, n) =>
      archiveSegmented({ ...task, sourceIdentity: `imap:INBOX:9:${n + 1}`, folder: 'INBOX', source }),
    );
    const deadline = Date.now() + 10_000;
    while (segments.writes() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(segments.writes()).toBe(1);

    expect(await archivedEvents(task.mailboxId)).toEqual([]);

    segments.release();
    const settled = await Promise.all(results);
    const events = await archivedEvents(task.mailboxId);
    expect(events).toHaveLength(12);
    const segmentIds = new Set(events.map((event) => event.segmentId));
    expect(segmentIds.size).toBe(1);
    for (const [n, result] of settled.entries()) {
      if (!result.ok) throw new Error(`message ${n} failed: ${result.error.message}`);
      const event = events.find((e) => e.sourceIdentity === `imap:INBOX:9:${n + 1}`)!;
      expect(event).toMatchObject({ sha256: result.sha256, size: messages[n]!.length, subject: `n${n}` });
      expect(result.location).toEqual({
        segmentId: event.segmentId,
        offset: event.segmentOffset,
        size: event.size,
      });
      // The event alone is enough to read the bytes back.
      const raw = Buffer.concat(
        await (await blobs.get(task.tenantId, event.sha256, result.location)).toArray(),
      );
      expect(raw.equals(messages[n]!)).toBe(true);
    }
  });

  it('fails every message of a segment that could not be written, as a storage failure to retry', async () => {
    const task = ids();
    const broken = Object.assign(Object.create(blobs) as FilesystemBlobStore, {
      writeSegment: () => Promise.reject(Object.assign(new Error('no space left'), { code: 'ENOSPC' })),
    });
    const archiveBroken = createMessageArchiver({
      bus,
      blobs: new SegmentedBlobStore(broken, {
        thresholdBytes: 64 * 1024,
        maxBytes: 1 << 20,
        maxAgeMs: 1_000,
        lingerMs: 2,
      }),
      logger,
    });
    const results = await Promise.all(
      [1, 2, 3].map((uid) =>
        archiveBroken({ ...task, sourceIdentity: `imap:INBOX:9:${uid}`, folder: 'INBOX', source: MESSAGE }),
      ),
    );
    for (const result of results) expect(result).toMatchObject({ ok: false, stage: 'storage' });
    expect(await archivedEvents(task.mailboxId)).toEqual([]);
  });
});

describe('CursorStore', () => {
  it('round-trips cursors per folder with revisions and refuses a stale write', async () => {
    const store = await CursorStore.open<{ uidValidity: number; lastUid: number }>(bus);
    const { tenantId, mailboxId } = ids();
    const folder = 'Entwürfe & Notes/2026.Q4';
    expect(await store.get(tenantId, mailboxId, folder)).toBeUndefined();
    const r1 = await store.put(tenantId, mailboxId, folder, { uidValidity: 7, lastUid: 10 }, undefined);
    expect(await store.get(tenantId, mailboxId, folder)).toEqual({
      value: { uidValidity: 7, lastUid: 10 },
      revision: r1,
    });
    const r2 = await store.put(tenantId, mailboxId, folder, { uidValidity: 7, lastUid: 20 }, r1);
    expect(r2).toBeGreaterThan(r1);
    // A writer that read r1 is refused, whether it updates or thinks the key is new.
    await expect(
      store.put(tenantId, mailboxId, folder, { uidValidity: 7, lastUid: 15 }, r1),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      store.put(tenantId, mailboxId, folder, { uidValidity: 7, lastUid: 1 }, undefined),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await store.get(tenantId, mailboxId, folder))?.value.lastUid).toBe(20);
    // Another folder of the same mailbox is its own key.
    expect(await store.get(tenantId, mailboxId, 'INBOX')).toBeUndefined();
    expect(cursorKey(tenantId, mailboxId, '')).toMatch(/^[-/_=.A-Za-z0-9]+$/);
    expect(cursorKey(tenantId, mailboxId, folder)).toMatch(/^[-/_=.A-Za-z0-9]+$/);
  });
});
