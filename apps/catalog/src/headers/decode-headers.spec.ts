import { parseHeaderBlock } from '@mailkeep/connector-kit';
import { describe, expect, it } from 'vitest';

import { parseAddressList } from './addresses.js';
import { decodeCharset, headerText } from './charsets.js';
import { decodeHeaders } from './decode-headers.js';
import { decodeEncodedWords } from './encoded-words.js';
import { parseMailDate } from './mail-date.js';

/** What the connector publishes for a raw header block: the catalog's real input. */
function headersOf(...lines: (string | Buffer)[]) {
  const block = Buffer.concat(
    lines.map((line) => (typeof line === 'string' ? Buffer.from(line, 'latin1') : line)),
  );
  return parseHeaderBlock(block);
}

describe('RFC 2047 encoded words', () => {
  it('decodes B and Q words in utf-8', () => {
    expect(decodeEncodedWords('=?UTF-8?B?SsO2cmcgTcO8bGxlcg==?=')).toBe('Jörg Müller');
    expect(decodeEncodedWords('=?utf-8?q?J=C3=B6rg_M=C3=BCller?=')).toBe('Jörg Müller');
  });

  it('drops whitespace between adjacent words and joins their bytes (a character split across words)', () => {
    // "€" is E2 82 AC: split between two words.
    expect(decodeEncodedWords('=?utf-8?Q?Price_=E2=82?= \t =?utf-8?Q?=AC5?=')).toBe('Price €5');
    expect(decodeEncodedWords('=?utf-8?B?4oKs?=  =?UTF-8?B?IGV1cm8=?=')).toBe('€ euro');
  });

  it('keeps text and spaces around words, and joins words of different charsets without the space', () => {
    expect(decodeEncodedWords('Re: =?iso-8859-1?Q?caf=E9?= ouvert')).toBe('Re: café ouvert');
    expect(decodeEncodedWords('=?iso-8859-1?Q?a=E9?= =?koi8-r?B?8NLJ18XU?=')).toBe('aéПривет');
  });

  it('decodes iso-8859-x, windows-125x and koi8-r', () => {
    expect(decodeEncodedWords('=?ISO-8859-2?Q?=A3=F3d=BC?=')).toBe('Łódź');
    expect(decodeEncodedWords('=?iso-8859-15?Q?=A4?=')).toBe('€');
    expect(decodeEncodedWords('=?windows-1251?B?z/Do4uXy?=')).toBe('Привет');
    expect(decodeEncodedWords('=?windows-1252?Q?=93quoted=94?=')).toBe('“quoted”');
    expect(decodeEncodedWords('=?KOI8-R?B?8NLJ18XU?=')).toBe('Привет');
    expect(decodeEncodedWords('=?utf-8*en?Q?hello?=')).toBe('hello');
  });

  it('reads an unknown charset or mislabelled utf-8 as undeclared bytes, and keeps a broken word as written', () => {
    expect(decodeEncodedWords('=?x-unknown?Q?caf=C3=A9?=')).toBe('café');
    expect(decodeEncodedWords('=?utf-8?Q?caf=E9?=')).toBe('café');
    expect(decodeEncodedWords('=?utf-8?B?not*base64?=')).toBe('=?utf-8?B?not*base64?=');
    expect(decodeEncodedWords('50 =? 60')).toBe('50 =? 60');
  });
});

describe('raw 8-bit headers', () => {
  it('reads latin1-carried bytes as UTF-8 when valid, else windows-1252', () => {
    const utf8Bytes = Buffer.from('Grüße – 你好', 'utf8').toString('latin1');
    expect(headerText(utf8Bytes)).toBe('Grüße – 你好');
    const cp1252Bytes = Buffer.from([0x93, 0x47, 0x72, 0xfc, 0xdf, 0x65, 0x94, 0x20, 0x80]).toString(
      'latin1',
    );
    expect(headerText(cp1252Bytes)).toBe('“Grüße” €');
  });

  it('leaves a value the connector already read as UTF-8 as it is', () => {
    expect(headerText('你好 café')).toBe('你好 café');
    // Latin-1 letters only: the round trip gives the same text back.
    expect(headerText('café')).toBe('café');
  });

  it('decodes a whole raw block the way the connector hands it over', () => {
    const headers = decodeHeaders(
      headersOf(
        'Subject: ',
        Buffer.from([0x52, 0xe9, 0x73, 0x75, 0x6d, 0xe9]), // "Résumé" in windows-1252
        '\r\nFrom: ',
        Buffer.from('"Zoë Ünal" <zoe@example.com>', 'utf8'),
        '\r\n',
      ),
    );
    expect(headers.subject).toBe('Résumé');
    // The block as a whole was not UTF-8, so the connector carried it as Latin-1: still right.
    expect(headers.from).toBe('"Zoë Ünal" <zoe@example.com>');
    expect(headers.fromAddresses).toEqual([{ name: 'Zoë Ünal', address: 'zoe@example.com' }]);
  });

  it('decodes a declared charset', () => {
    expect(decodeCharset('koi8-r', Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]))).toBe('Привет');
  });
});

describe('folded, absent and duplicated headers', () => {
  it('unfolds folded lines, including encoded words folded apart', () => {
    const headers = decodeHeaders(
      headersOf(
        'Subject: =?utf-8?Q?Quarterly_r=C3=A9sultats?=\r\n =?utf-8?Q?_et_pr=C3=A9visions?=\r\n',
        'To: alice@example.com,\r\n\tBob <bob@example.com>\r\n',
      ),
    );
    expect(headers.subject).toBe('Quarterly résultats et prévisions');
    expect(headers.to).toBe('alice@example.com,\tBob <bob@example.com>'.replace('\t', ' '));
    expect(headers.recipientAddresses.map((a) => a.address)).toEqual([
      'alice@example.com',
      'bob@example.com',
    ]);
  });

  it('unfolds a value that still holds its line breaks', () => {
    expect(decodeHeaders({ subject: 'one\r\n two' }).subject).toBe('one two');
  });

  it('gives null for absent and blank headers, and keeps the first of duplicates', () => {
    const headers = decodeHeaders(headersOf('Subject: first\r\nSubject: second\r\nCc:   \r\nX-Other: x\r\n'));
    expect(headers).toMatchObject({
      subject: 'first',
      cc: null,
      from: null,
      to: null,
      messageId: null,
      date: null,
    });
    expect(headers.fromAddresses).toEqual([]);
    expect(decodeHeaders({})).toMatchObject({ subject: null, from: null, date: null });
  });

  it('turns control characters (NUL included) into spaces', () => {
    expect(decodeHeaders({ subject: 'a=?utf-8?Q?=00b=0Ac?=' }).subject).toBe('a b c');
  });
});

describe('address lists', () => {
  it('parses names, quoted names with commas, angle and bare addresses, comments', () => {
    expect(
      parseAddressList('"Smith, John" <John.Smith@Example.COM>, jane@example.org (Jane Doe), Bob <bob@x.io>'),
    ).toEqual([
      { name: 'Smith, John', address: 'john.smith@example.com' },
      { name: 'Jane Doe', address: 'jane@example.org' },
      { name: 'Bob', address: 'bob@x.io' },
    ]);
  });

  it('flattens groups and drops empty ones', () => {
    expect(parseAddressList('undisclosed-recipients:;')).toEqual([]);
    expect(parseAddressList('Team: a@x.io, "B" <b@x.io>; c@y.io')).toEqual([
      { name: '', address: 'a@x.io' },
      { name: 'B', address: 'b@x.io' },
      { name: '', address: 'c@y.io' },
    ]);
  });

  it('decodes encoded words in names, even inside quotes, and drops source routes', () => {
    expect(
      parseAddressList('=?utf-8?Q?J=C3=B6rg?= <j@x.de>, "=?utf-8?B?5L2g5aW9?=" <@relay:n@x.cn>'),
    ).toEqual([
      { name: 'Jörg', address: 'j@x.de' },
      { name: '你好', address: 'n@x.cn' },
    ]);
  });

  it('never throws on garbage', () => {
    expect(parseAddressList('<<<,,"unterminated')).toEqual([
      { name: '<<<', address: '' },
      { name: 'unterminated', address: '' },
    ]);
    expect(parseAddressList('a@b.c (unclosed')).toEqual([{ name: 'unclosed', address: 'a@b.c' }]);
    expect(parseAddressList('Just A Name')).toEqual([{ name: 'Just A Name', address: '' }]);
    expect(parseAddressList('')).toEqual([]);
  });
});

describe('Date', () => {
  const iso = (text: string) => parseMailDate(text)?.toISOString() ?? null;

  it('parses RFC 5322 dates with zones', () => {
    expect(iso('Tue, 1 Jul 2003 10:52:37 +0200')).toBe('2003-07-01T08:52:37.000Z');
    expect(iso('1 Jul 2003 10:52 -0430')).toBe('2003-07-01T15:22:00.000Z');
    expect(iso('Thu, 13 Feb 1969 23:32:54 -0330')).toBe('1969-02-14T03:02:54.000Z');
  });

  it('is lenient: obsolete zones, comments, two-digit years, dashes, asctime, ISO', () => {
    expect(iso('Fri, 21 Nov 97 09:55:06 GMT')).toBe('1997-11-21T09:55:06.000Z');
    expect(iso('Mon, 2 Jan 06 15:04:05 EST')).toBe('2006-01-02T20:04:05.000Z');
    expect(iso('Wed, 9 Oct 2024 08:00:00 +0200 (CEST)')).toBe('2024-10-09T06:00:00.000Z');
    expect(iso('9-Oct-2024 08:00:00 +02:00')).toBe('2024-10-09T06:00:00.000Z');
    expect(iso('Tue Jul  1 10:52:37 2003')).toBe('2003-07-01T10:52:37.000Z');
    expect(iso('2024-10-09T08:00:00+02:00')).toBe('2024-10-09T06:00:00.000Z');
    expect(iso('2024-10-09 08:00:00')).toBe('2024-10-09T08:00:00.000Z');
    expect(iso('Wed, 9 October 2024 08:00:60 XYZ')).toBe('2024-10-09T08:00:59.000Z');
  });

  it('gives null for what is not a date', () => {
    expect(iso('')).toBeNull();
    expect(iso('yesterday')).toBeNull();
    expect(iso('31 Feb 2024 10:00:00 +0000')).toBeNull();
    expect(iso('1 Jan 1601 00:00:00 +0000')).toBeNull();
    expect(iso('1 Foo 2024 10:00:00 +0000')).toBeNull();
    expect(iso('1 Jan 2024 25:00:00 +0000')).toBeNull();
    expect(decodeHeaders({ date: '=?utf-8?Q?garbage?=' }).date).toBeNull();
  });
});
