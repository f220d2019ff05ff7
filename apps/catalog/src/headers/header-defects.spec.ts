import { parseHeaderBlock } from '@mailkeep/connector-kit';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';

import { declaredCharset, decodeHeaderBlock } from './content-type.js';
import { decodeHeaders } from './decode-headers.js';

/**
 * Issue 23, defects 1–5: each with a message written to have the feature, decoded the way the
 * catalog receives it (the connector's header reader over the raw block).
 */
function headerBlock(...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));
}

/** ISO-2022-JP bytes of Japanese text: JIS X 0208 (EUC-JP minus the high bit) between escapes. */
function iso2022jp(text: string): Buffer {
  const jis = [...iconv.encode(text, 'euc-jp')].map((byte) => byte & 0x7f);
  return Buffer.from([0x1b, 0x24, 0x42, ...jis, 0x1b, 0x28, 0x42]);
}

describe('1. UTF-7 encoded words', () => {
  it('decodes =?utf-7?…?= subjects and display names', () => {
    const block = headerBlock(
      'From: =?UTF-7?Q?J+APY-rg_M+APw-ller?= <jm@example.de>\r\n',
      'Subject: =?utf-7?Q?Fr+APY-sche_und_Kr+APY-ten?= =?UTF-7?B?K0FPUS1m?=\r\n',
    );
    const headers = decodeHeaders(parseHeaderBlock(block));
    expect(headers.subject).toBe('Frösche und Kröten' + 'ä' + 'f');
    expect(headers.from).toBe('Jörg Müller <jm@example.de>');
    expect(headers.fromAddresses).toEqual([{ name: 'Jörg Müller', address: 'jm@example.de' }]);
  });
});

describe('2. ISO-2022-JP subjects over several encoded words', () => {
  it('decodes a long subject split over three words without a replacement character', () => {
    const parts = ['来週の会議の議題について', '確認をお願いします', '（営業部）'];
    const words = parts.map((part) => `=?ISO-2022-JP?B?${iso2022jp(part).toString('base64')}?=`);
    const block = headerBlock(`Subject: ${words[0]}\r\n ${words[1]}\r\n\t${words[2]}\r\n`);
    const subject = decodeHeaders(parseHeaderBlock(block)).subject;
    expect(subject).toBe(parts.join(''));
    expect(subject).not.toContain('\uFFFD');
  });
});

describe('3. raw 8-bit Big5 and GB2312 headers', () => {
  it('reads them in the charset the message declares before windows-1252', () => {
    const big5 = headerBlock(
      'Subject: ',
      iconv.encode('季度報告：測試結果', 'big5'),
      '\r\nFrom: ',
      iconv.encode('陳大文', 'big5'),
      ' <tmchan@example.com.tw>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain;\r\n charset="BIG5"\r\n',
    );
    expect(declaredCharset(big5)).toBe('big5');
    const headers = decodeHeaderBlock(big5);
    expect(headers.subject).toBe('季度報告：測試結果');
    expect(headers.fromAddresses).toEqual([{ name: '陳大文', address: 'tmchan@example.com.tw' }]);

    const gb = headerBlock(
      'Subject: ',
      iconv.encode('会议通知：明天下午三点', 'gb2312'),
      '\r\nContent-Type: multipart/mixed; charset=gb2312; boundary="b1"\r\n',
    );
    expect(decodeHeaderBlock(gb).subject).toBe('会议通知：明天下午三点');
  });

  it('still reads valid UTF-8 as UTF-8, and bytes invalid in the declared charset as windows-1252', () => {
    const utf8 = headerBlock(
      'Subject: ',
      Buffer.from('Grüße', 'utf8'),
      '\r\nContent-Type: text/plain; charset=big5\r\n',
    );
    expect(decodeHeaderBlock(utf8).subject).toBe('Grüße');
    // 0xFF is no Big5 lead byte.
    const notBig5 = headerBlock(
      'Subject: caf',
      Buffer.from([0xe9, 0xff]),
      '\r\nContent-Type: text/plain; charset=big5\r\n',
    );
    expect(decodeHeaderBlock(notBig5).subject).toBe('caféÿ');
  });
});

describe('4. display names with a comma', () => {
  it('keeps the decoded name quoted so it reads as one recipient', () => {
    const block = headerBlock(
      'From: =?iso-8859-1?Q?H=F6rst=2C_Kenny?= <k@example.org>\r\n',
      'To: "=?utf-8?Q?M=C3=BCller=2C_Anna?=" <anna@example.org>, =?utf-8?B?U21pdGgsIEpvaG4=?= <js@example.org>\r\n',
    );
    const headers = decodeHeaders(parseHeaderBlock(block));
    expect(headers.from).toBe('"Hörst, Kenny" <k@example.org>');
    expect(headers.to).toBe('"Müller, Anna" <anna@example.org>, "Smith, John" <js@example.org>');
    expect(headers.fromAddresses).toEqual([{ name: 'Hörst, Kenny', address: 'k@example.org' }]);
    expect(headers.recipientAddresses).toEqual([
      { name: 'Müller, Anna', address: 'anna@example.org' },
      { name: 'Smith, John', address: 'js@example.org' },
    ]);
  });

  it('parses an encoded word holding a literal comma as one name', () => {
    const headers = decodeHeaders({ from: '=?utf-8?Q?H=C3=B6rst,_Kenny?= <k@example.org>' });
    expect(headers.fromAddresses).toEqual([{ name: 'Hörst, Kenny', address: 'k@example.org' }]);
    expect(headers.from).toBe('"Hörst, Kenny" <k@example.org>');
  });
});

describe('5. comments in addresses', () => {
  it('removes comments from the stored address (RFC 5322 appendix A.5)', () => {
    const block = headerBlock(
      'From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>\r\n',
      'To: pete(his account)@silly.test, (Mary) mary@(the host)example.net\r\n',
    );
    const headers = decodeHeaders(parseHeaderBlock(block));
    expect(headers.fromAddresses).toEqual([{ name: 'Pete', address: 'pete@silly.test' }]);
    expect(headers.recipientAddresses.map((entry) => entry.address)).toEqual([
      'pete@silly.test',
      'mary@example.net',
    ]);
  });
});
