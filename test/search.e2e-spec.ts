import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { parseHeaderBlock } from '@mailkeep/connector-kit';
import { MESSAGE_ARCHIVED_V1, type MessageArchivedEvent } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { FILESYSTEM_BLOBS_DIR, FilesystemBlobStore } from '@mailkeep/storage';
import {
  buildMailCorpus,
  callApi,
  createTenantWithAdmin,
  type RunningPlatform,
  type TestDatabase,
  waitFor,
} from '@mailkeep/testing';
import iconv from 'iconv-lite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { docxDocument, mimeMessage, pdfDocument } from '@mailkeep/testing';

import { type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * Search that finds what people remember (issue 23), end to end: the platform as the README
 * starts it, messages stored in its blob store and announced as a connector does (event headers
 * read by the connectors' own header reader), then found through `GET /tenants/{t}/messages?q=`.
 */
let started: E2ePlatform;
let bootstrapKey = '';
let database: TestDatabase;
let platform: RunningPlatform;
let bus: MessageBus;
let dataDir: string;
let blobs: FilesystemBlobStore;
let tenant = '';
let adminKey = '';
let otherTenant = '';
let otherKey = '';
const mailboxId = randomUUID();

interface Attachment {
  part: number;
  name: string;
  mimeType: string;
  size: number;
  indexed: boolean;
}
interface Message {
  id: string;
  subject: string | null;
  from: string | null;
  to: string | null;
  text: string;
  attachments: Attachment[];
  unindexedAttachments: boolean;
  snippet?: string | null;
}
interface Page {
  items: Message[];
  nextCursor: string | null;
}

const api = <T = Page>(path: string, key = adminKey, method = 'GET') =>
  callApi<T>(platform.baseUrl, key, method, path);

/** The subjects of the tenant's messages that match `q` (and other query parameters). */
async function found(q: string, extra = ''): Promise<string[]> {
  const reply = await api(`/tenants/${tenant}/messages?q=${encodeURIComponent(q)}${extra}&limit=200`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.items.map((item) => item.subject ?? '').sort();
}

/** Stores the bytes and announces them as a connector does: headers as its reader hands them over. */
async function archive(raw: Buffer, tenantId = tenant): Promise<void> {
  const blob = await blobs.put(tenantId, Readable.from([raw]));
  const end = raw.indexOf('\r\n\r\n');
  const event: MessageArchivedEvent = {
    tenantId,
    mailboxId,
    runId: randomUUID(),
    taskId: randomUUID(),
    sourceIdentity: `imap:INBOX:1:${randomUUID()}`,
    folder: 'INBOX',
    sha256: blob.sha256,
    size: blob.size,
    created: blob.created,
    archivedAt: new Date().toISOString(),
    ...parseHeaderBlock(raw.subarray(0, end < 0 ? raw.length : end + 2)),
  };
  await bus.publish(MESSAGE_ARCHIVED_V1, event, { msgId: randomUUID() });
}

/** Every message of the tenant has its text indexed (or its blob found unreadable). */
async function textIndexed(expected: number, tenantId = tenant, key = adminKey): Promise<void> {
  await waitFor(
    async () => {
      const status = await api<{ messages: number; pending: number }>(`/tenants/${tenantId}/text-index`, key);
      return status.body.messages === expected && status.body.pending === 0;
    },
    { timeoutMs: 60_000, intervalMs: 200, description: 'the catalog indexed the text of every message' },
  );
}

const headers = (subject: string, from = 'Anna Schmidt <anna.schmidt@example.de>') => [
  `From: ${from}`,
  'To: Bob Miller <bob@example.com>',
  `Subject: ${subject}`,
  'Date: Mon, 7 Dec 2026 09:30:00 +0100',
  `Message-ID: <${randomUUID()}@example.de>`,
];

const PDF = pdfDocument(['Kaufvertrag Nr. 4711', 'Lieferung von 40 Zebrafinken an den Zoo Leipzig']);
const CORPUS = buildMailCorpus({ largeAttachmentBytes: 0, domain: 'search.test' });

/** The messages of the test, each written to hold what one check looks for. */
const MESSAGES = [
  mimeMessage({
    headers: headers('Unterlagen zum Vertrag'),
    body: 'Hallo Bob,\r\nanbei die Unterlagen. Die Ersatzteile werden nächste Woche geliefert.\r\nGruß Anna',
    attachments: [
      { fileName: 'Kaufvertrag 4711.pdf', contentType: 'application/pdf', bytes: PDF },
      {
        fileName: 'Angebot.docx',
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        bytes: docxDocument(['Angebot für Flamingofutter', 'Gültig bis Ende März 2027']),
      },
    ],
  }),
  mimeMessage({
    headers: headers('=?ISO-2022-JP?B?GyRCMnE1RBsoQg==?=', 'Tanaka Hiroshi <tanaka@example.jp>'),
    body: '来週の会議は東京本社で行います。資料の準備をお願いします。',
  }),
  mimeMessage({
    headers: headers('=?utf-8?B?5byA5Lya6YCa55+l?=', 'Li Wei <li.wei@example.cn>'),
    body: '我们明天下午三点在北京开会，讨论明年的预算。',
  }),
  mimeMessage({
    headers: headers('Rendez-vous', 'Claire Dubois <claire@example.fr>'),
    body: '<p>Le rendez-vous avec le <b>notaire</b> est confirmé pour jeudi à 10&nbsp;h.</p>',
    html: true,
  }),
  mimeMessage({ headers: headers('Budget A'), body: 'The quarterly budget review is due on Friday.' }),
  mimeMessage({ headers: headers('Budget B'), body: 'The budget for the quarterly review is attached.' }),
  mimeMessage({
    headers: headers('Update adware/spyware signatures for multipart/mixed mails in config.yaml'),
    body: 'see subject',
  }),
  mimeMessage({
    headers: headers('Scan'),
    body: 'The scanner sent a damaged file.',
    attachments: [
      { fileName: 'scan.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.7 broken') },
    ],
  }),
  // Issue 23's header defects, as real mailers write them.
  Buffer.from(
    [
      'From: =?UTF-7?Q?J+APY-rg_M+APw-ller?= <jm@example.de>',
      'To: =?iso-8859-1?Q?H=F6rst=2C_Kenny?= <kenny@example.de>, Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>',
      'Subject: =?utf-7?Q?Fr+APY-sche_und_Kr+APY-ten?=',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'utf7 defect body',
      '',
    ].join('\r\n'),
    'latin1',
  ),
  Buffer.concat([
    Buffer.from('From: tmchan@example.com.tw\r\nSubject: '),
    iconv.encode('季度報告：測試結果', 'big5'),
    Buffer.from('\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=big5\r\n\r\n'),
    iconv.encode('這是季度報告的內容。', 'big5'),
    Buffer.from('\r\n'),
  ]),
];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mailkeep-search-e2e-'));
  // Messages are announced on the bus here, as a connector would: no directory, profile, schedule or connector.
  started = await startE2ePlatform({
    database: 'search_e2e',
    services: ['api', 'catalog'],
    env: { MAILKEEP_DATA_DIR: dataDir },
    tenant: 'Search Inc',
  });
  ({ platform, database, bootstrapKey, tenant, adminKey } = started);
  bus = await MessageBus.connect({
    servers: platform.natsUrl,
    name: 'search-e2e',
    logger: createLogger({ service: 'search-e2e', level: 'warn' }),
  });
  blobs = new FilesystemBlobStore({ root: join(dataDir, FILESYSTEM_BLOBS_DIR) });
  ({ tenantId: otherTenant, adminKey: otherKey } = await createTenantWithAdmin(
    platform.baseUrl,
    bootstrapKey,
    'Other Search Ltd',
  ));
  await Promise.all([...MESSAGES, ...CORPUS.map((message) => message.raw)].map((raw) => archive(raw)));
  await archive(
    mimeMessage({ headers: headers('Fremder Vertrag'), body: 'Zebrafinken im Nachbarzoo' }),
    otherTenant,
  );
  await textIndexed(MESSAGES.length + CORPUS.length);
  await textIndexed(1, otherTenant, otherKey);
});

afterAll(async () => {
  await bus?.close();
  await started?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('full text over bodies and attachments', () => {
  it('finds a word of the body, of a PDF attachment and of a DOCX attachment, in this tenant only', async () => {
    expect(await found('Ersatzteile')).toEqual(['Unterlagen zum Vertrag']);
    expect(await found('zebrafinken')).toEqual(['Unterlagen zum Vertrag']);
    expect(await found('Flamingofutter')).toEqual(['Unterlagen zum Vertrag']);
    expect(await found('notaire')).toEqual(['Rendez-vous']);
    const page = await api(`/tenants/${tenant}/messages?q=Zebrafinken`);
    const message = page.body.items[0]!;
    expect(message.snippet).toContain('<mark>Zebrafinken</mark>');
    expect(message.text).toBe('indexed');
    expect(message.attachments).toEqual([
      { part: 0, name: 'Kaufvertrag 4711.pdf', mimeType: 'application/pdf', size: PDF.length, indexed: true },
      expect.objectContaining({ part: 1, name: 'Angebot.docx', indexed: true }),
    ]);
  });

  it('finds Japanese and Chinese words in text without spaces', async () => {
    expect(await found('東京本社')).toEqual(['会議']);
    expect(await found('会議')).toEqual(['会議']);
    expect(await found('大阪本社')).toEqual([]);
    expect(await found('北京')).toEqual(['开会通知']);
    expect(await found('预算')).toEqual(['开会通知']);
  });

  it('takes phrases, exclusions, or and prefixes, and filters with them', async () => {
    expect(await found('"quarterly budget"')).toEqual(['Budget A']);
    expect(await found('quarterly budget')).toEqual(['Budget A', 'Budget B']);
    expect(await found('budget -attached')).toEqual(['Budget A']);
    expect(await found('notaire or 北京')).toEqual(['Rendez-vous', '开会通知']);
    expect(await found('Flamingo*')).toEqual(['Unterlagen zum Vertrag']);
    expect(await found('budget', '&from=claire%40example.fr')).toEqual([]);
    expect(await found('budget', '&subject=A')).toEqual(['Budget A']);
    const invalid = await api<{ errors: { field: string }[] }>(
      `/tenants/${tenant}/messages?q=${encodeURIComponent('- *')}`,
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual([expect.objectContaining({ field: 'q' })]);
  });

  it('pages a text query with a stable cursor', async () => {
    const first = await api(`/tenants/${tenant}/messages?q=budget&limit=1`);
    expect(first.body.items).toHaveLength(1);
    const second = await api(`/tenants/${tenant}/messages?q=budget&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    expect(new Set([first.body.items[0]!.subject, second.body.items[0]!.subject])).toEqual(
      new Set(['Budget A', 'Budget B']),
    );
  });

  it('records an attachment it could not read, as a filter', async () => {
    const unindexed = await api(`/tenants/${tenant}/messages?unindexedAttachments=true`);
    expect(unindexed.body.items.map((item) => item.subject)).toEqual(['Scan']);
    expect(unindexed.body.items[0]!.attachments).toEqual([
      expect.objectContaining({ name: 'scan.pdf', indexed: false }),
    ]);
    expect(await found('scanner', '&unindexedAttachments=false')).toEqual([]);
    expect((await api(`/tenants/${tenant}/messages?unindexedAttachments=maybe`)).status).toBe(400);
  });

  it('indexes every message of the shared corpus', async () => {
    const all = await api(`/tenants/${tenant}/messages?limit=200`);
    expect(all.body.items.filter((item) => item.text !== 'indexed')).toEqual([]);
    // Words of the corpus's bodies (plain text, CRLF and LF).
    expect((await found('"just text"')).length).toBeGreaterThan(0);
  });

  it('downloads one attachment by its part', async () => {
    const message = (await api(`/tenants/${tenant}/messages?q=Zebrafinken`)).body.items[0]!;
    const response = await fetch(
      `${platform.baseUrl}/api/v1/tenants/${tenant}/messages/${message.id}/attachments/0`,
      {
        headers: { authorization: `Bearer ${adminKey}` },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('filename="Kaufvertrag 4711.pdf"');
    expect(Buffer.from(await response.arrayBuffer()).equals(PDF)).toBe(true);
    expect((await api(`/tenants/${tenant}/messages/${message.id}/attachments/9`)).status).toBe(404);
    expect((await api(`/tenants/${otherTenant}/messages/${message.id}/attachments/0`, otherKey)).status).toBe(
      404,
    );
  });
});

describe('issue 23 defects through the API', () => {
  it('decodes UTF-7 words, keeps a comma name quoted, strips comments from addresses (1, 4, 5)', async () => {
    const [message] = (await api(`/tenants/${tenant}/messages?q=${encodeURIComponent('Frösche')}`)).body
      .items;
    expect(message).toMatchObject({ subject: 'Frösche und Kröten', from: 'Jörg Müller <jm@example.de>' });
    expect(message!.to).toContain('"Hörst, Kenny" <kenny@example.de>');
    expect(await found('defect', '&to=pete%40silly.test')).toEqual(['Frösche und Kröten']);
    expect(await found('defect', '&to=kenny%40example.de')).toEqual(['Frösche und Kröten']);
  });

  it('reads a raw 8-bit Big5 subject in the declared charset and finds its words (3)', async () => {
    expect(await found('季度報告')).toEqual(['季度報告：測試結果']);
    expect(await found('內容')).toEqual(['季度報告：測試結果']);
  });

  it('finds the words inside joined tokens (6)', async () => {
    const subject = 'Update adware/spyware signatures for multipart/mixed mails in config.yaml';
    for (const word of ['spyware', 'adware', 'signatures', 'yaml', 'adware/spyware', 'config.yaml'])
      expect(await found(word), word).toEqual([subject]);
    // The shared corpus has other multipart/mixed messages: these words are in their bodies too.
    for (const word of ['mixed', 'multipart']) expect(await found(word), word).toContain(subject);
  });

  it('does not log a complete download the client closes right after the last byte as interrupted (7)', async () => {
    const message = (await api(`/tenants/${tenant}/messages?q=Zebrafinken`)).body.items[0]!;
    const url = new URL(platform.baseUrl);
    for (let attempt = 0; attempt < 10; attempt++)
      await downloadAndHangUp(url, `/api/v1/tenants/${tenant}/messages/${message.id}/raw`, adminKey);
    // The positive marker: a download cut off after its headers, on the same server after the
    // complete ones, must be logged as interrupted. Its warning is there only once the server has
    // seen its closed connection, so by then it has seen the ten earlier ones too.
    const { tenantId, adminKey: key } = await createTenantWithAdmin(
      platform.baseUrl,
      bootstrapKey,
      'Hang-up GmbH',
    );
    await archive(
      mimeMessage({
        headers: headers('Grosse Datei'),
        body: 'Anbei die Datei.',
        // Twice what a loopback socket buffers for sending (4 MB): the body cannot be all
        // handed over before the client goes.
        attachments: [
          {
            fileName: 'gross.bin',
            contentType: 'application/octet-stream',
            bytes: randomBytes(8 * 2 ** 20),
          },
        ],
      }),
      tenantId,
    );
    await textIndexed(1, tenantId, key);
    const large = (await api(`/tenants/${tenantId}/messages`, key)).body.items[0]!;
    await downloadAndHangUp(url, `/api/v1/tenants/${tenantId}/messages/${large.id}/raw`, key, 'headers');
    const warnings = await waitFor(
      () => {
        const lines = platform
          .output()
          .split('\n')
          .filter((line) => line.includes('download interrupted'));
        return lines.length > 0 ? lines : undefined;
      },
      { timeoutMs: 30_000, description: 'the cut-off download logged as interrupted' },
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(large.id);
  });
});

describe('re-index', () => {
  it('rebuilds the text index from the blobs, with progress, for an archive made before text indexing', async () => {
    // An archive catalogued before this change: header-only vectors, no extracted content.
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      await db.query(`DELETE FROM catalog.message_content WHERE tenant_id = $1`, [tenant]);
      await db.query(
        `UPDATE catalog.message SET search = setweight(to_tsvector('simple', coalesce(subject, '')), 'A') WHERE tenant_id = $1`,
        [tenant],
      );
    } finally {
      await db.end();
    }
    expect(await found('Zebrafinken')).toEqual([]);
    const started = await api<{ reindex: { status: string; total: number } }>(
      `/tenants/${tenant}/text-index/reindex`,
      adminKey,
      'POST',
    );
    expect(started.status).toBe(202);
    expect(started.body.reindex).toMatchObject({ status: 'running', total: MESSAGES.length + CORPUS.length });
    await waitFor(
      async () =>
        (await api<{ reindex: { status: string } }>(`/tenants/${tenant}/text-index`)).body.reindex.status ===
        'succeeded',
      { timeoutMs: 60_000, intervalMs: 200, description: 'the re-index finished' },
    );
    const status = await api<{ reindex: { done: number; total: number } }>(`/tenants/${tenant}/text-index`);
    expect(status.body.reindex.done).toBe(status.body.reindex.total);
    expect(await found('Zebrafinken')).toEqual(['Unterlagen zum Vertrag']);
    const auditor = await api(`/tenants/${tenant}/text-index/reindex`, otherKey, 'POST');
    expect(auditor.status).toBe(404);
  });
});

/**
 * A raw HTTP/1.1 GET that closes the connection as soon as Content-Length bytes of body arrived
 * (`until: 'body'`), or as soon as the response's headers did (`'headers'`: a download cut off).
 */
function downloadAndHangUp(
  url: URL,
  path: string,
  key: string,
  until: 'body' | 'headers' = 'body',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${key}\r\n\r\n`);
    });
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(received.subarray(0, end).toString('latin1'))?.[1]);
      if (until === 'headers' || received.length - end - 4 >= length) {
        socket.destroy();
        resolve();
      }
    });
    socket.on('error', reject);
  });
}
