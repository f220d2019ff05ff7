import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';

import {
  docxDocument,
  mimeMessage,
  odtDocument,
  pdfDocument,
  rtfDocument,
  zipArchive,
} from '@mailkeep/testing';
import { indexableText } from './index-text.js';
import { extractMessageText } from './message-text.js';
import { parseSearchQuery } from './search-query.js';

const headers = ['From: Anna <anna@example.org>', 'To: bob@example.org', 'Subject: Unterlagen'];

describe('text extraction', () => {
  it('extracts the body and the text of PDF, DOCX, ODT, RTF, CSV, ZIP and nested message attachments', async () => {
    const nested = mimeMessage({
      headers: ['Subject: Weitergeleitet', 'From: c@example.org'],
      body: 'nested quokka',
    });
    const raw = mimeMessage({
      headers,
      body: 'Hallo Bob, anbei die Unterlagen zum Vertrag.',
      attachments: [
        {
          fileName: 'Vertrag.pdf',
          contentType: 'application/pdf',
          bytes: pdfDocument(['Kaufvertrag Nr. 4711', 'Lieferung von Zebrafinken']),
        },
        {
          fileName: 'Angebot.docx',
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          bytes: docxDocument(['Angebot für Flamingofutter', 'Gültig bis Ende März']),
        },
        {
          fileName: 'notes.odt',
          contentType: 'application/vnd.oasis.opendocument.text',
          bytes: odtDocument(['odt narwhal']),
        },
        { fileName: 'memo.rtf', contentType: 'application/rtf', bytes: rtfDocument('rtf wombat') },
        { fileName: 'table.csv', contentType: 'text/csv', bytes: Buffer.from('name;animal\nx;csvalpaca\n') },
        {
          fileName: 'bundle.zip',
          contentType: 'application/zip',
          bytes: zipArchive({ 'inner/readme.txt': Buffer.from('zipped axolotl') }),
        },
        { fileName: 'fwd.eml', contentType: 'message/rfc822', bytes: nested },
        { fileName: 'photo.jpg', contentType: 'image/jpeg', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0]) },
      ],
    });
    const extracted = await extractMessageText(raw);
    for (const word of [
      'Vertrag',
      'Zebrafinken',
      'Flamingofutter',
      'narwhal',
      'wombat',
      'Straße',
      '€',
      'csvalpaca',
      'axolotl',
      'quokka',
      'Weitergeleitet',
    ])
      expect(extracted.text).toContain(word);
    expect(
      extracted.attachments.map((attachment) => [attachment.part, attachment.name, attachment.indexed]),
    ).toEqual([
      [0, 'Vertrag.pdf', true],
      [1, 'Angebot.docx', true],
      [2, 'notes.odt', true],
      [3, 'memo.rtf', true],
      [4, 'table.csv', true],
      [5, 'bundle.zip', true],
      [6, 'fwd.eml', true],
      [7, 'photo.jpg', false],
    ]);
    expect(extracted.unindexed).toBe(false);
  });

  it('reduces HTML to text and decodes a legacy charset', async () => {
    const html = mimeMessage({
      headers,
      html: true,
      body: '<html><style>p{color:red}</style><p>Caf&eacute; <b>offen</b>&nbsp;heute</p></html>',
    });
    expect((await extractMessageText(html)).text).toMatch(/Café\s+offen\s+heute/);
    const koi8 = Buffer.concat([
      Buffer.from(
        'Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=koi8-r\r\nContent-Transfer-Encoding: 8bit\r\n\r\n',
      ),
      iconv.encode('Привет мир', 'koi8-r'),
    ]);
    expect((await extractMessageText(koi8)).text).toContain('Привет мир');
  });

  it('records a damaged PDF as an unindexed attachment and keeps the rest', async () => {
    const raw = mimeMessage({
      headers,
      body: 'body survives',
      attachments: [
        { fileName: 'broken.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.4 garbage') },
      ],
    });
    const extracted = await extractMessageText(raw);
    expect(extracted.text).toContain('body survives');
    expect(extracted.unindexed).toBe(true);
    expect(extracted.attachments[0]).toMatchObject({ name: 'broken.pdf', indexed: false });
    expect(extracted.attachments[0]!.reason).toMatch(/^unreadable/);
  });
});

describe('hostile text', () => {
  it('gets through long lines, unclosed tags and comments (every step is linear)', async () => {
    const hostile = [
      'x'.repeat(200_000),
      '<'.repeat(200_000),
      '<!--'.repeat(50_000),
      '<script'.repeat(30_000),
    ];
    for (const body of hostile) {
      const extracted = await extractMessageText(mimeMessage({ headers, html: true, body: `${body} tail` }));
      expect(extracted.unindexed).toBe(false);
      expect(indexableText(extracted.text).length).toBeGreaterThanOrEqual(0);
    }
    expect(indexableText('a/'.repeat(100_000)).length).toBeGreaterThan(0);
  });
});

describe('index text and queries', () => {
  it('adds the parts of joined tokens and CJK bigrams', () => {
    expect(indexableText('adware/spyware multipart/mixed x.y')).toBe(
      'adware/spyware multipart/mixed x.y\nadware spyware multipart mixed x y',
    );
    expect(indexableText('東京都に住む')).toBe(' 東京 京都 都に に住 住む ');
  });

  it('parses words, phrases, exclusions, or and prefixes', () => {
    expect(parseSearchQuery('invoice "due date" -draft OR contr* -"old offer"')).toEqual([
      [
        { text: 'invoice', negated: false, prefix: false },
        { text: 'due date', negated: false, prefix: false },
        { text: 'draft', negated: true, prefix: false },
      ],
      [
        { text: 'contr', negated: false, prefix: true },
        { text: 'old offer', negated: true, prefix: false },
      ],
    ]);
    // Nothing searchable is left for PostgreSQL: the catalog answers VALIDATION for it.
    expect(parseSearchQuery('  or  - * ')).toEqual([
      [
        { text: '-', negated: false, prefix: false },
        { text: '*', negated: false, prefix: false },
      ],
    ]);
  });
});
