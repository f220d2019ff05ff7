import { strToU8, zipSync } from 'fflate';

/**
 * Small real documents for the search tests and benchmark: the formats people attach (a PDF as
 * office suites write one, Word and OpenDocument text, RTF, CSV, a ZIP), and a MIME message that
 * carries them, built byte by byte so each test knows exactly which words are where.
 */

/** A one-page PDF 1.4 with the lines in Helvetica (a text content stream, a real xref table). */
export function pdfDocument(lines: readonly string[]): Buffer {
  const escape = (text: string) => text.replace(/[\\()]/g, '\\$&');
  const stream = `BT /F1 12 Tf 72 720 Td 14 TL ${lines.map((line) => `(${escape(line)}) '`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Word document (OOXML, as Word writes its minimal parts) with one paragraph per line. */
export function docxDocument(paragraphs: readonly string[]): Buffer {
  const body = paragraphs.map(
    (text) => `<w:p><w:r><w:t xml:space="preserve">${xmlText(text)}</w:t></w:r></w:p>`,
  );
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
      '_rels/.rels': strToU8(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
      'word/document.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body.join('')}</w:body></w:document>`,
      ),
    }),
  );
}

/** An OpenDocument text (odt) with one paragraph per line. */
export function odtDocument(paragraphs: readonly string[]): Buffer {
  const body = paragraphs.map((text) => `<text:p>${xmlText(text)}</text:p>`).join('');
  return Buffer.from(
    zipSync({
      mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
      'content.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>${body}</office:text></office:body></office:document-content>`,
      ),
    }),
  );
}

/** An RTF document as WordPad writes one (font table, code page, a `\'hh` byte, a `\u` escape). */
export function rtfDocument(text: string): Buffer {
  return Buffer.from(
    `{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fnil\\fcharset0 Calibri;}}{\\*\\generator Riched20 10.0.19041}\\viewkind4\\uc1 \\pard\\sa200\\sl276\\slmult1\\f0\\fs22 ${text}\\par\r\nStra\\'dfe und \\u8364? Euro\\par\r\n}\r\n`,
    'latin1',
  );
}

/** A ZIP archive of the files. */
export function zipArchive(files: Record<string, Buffer>): Buffer {
  return Buffer.from(
    zipSync(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, new Uint8Array(bytes)]))),
  );
}

export interface MimeAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** A multipart/mixed message: the headers, a text/plain (or text/html) body, base64 attachments. */
export function mimeMessage(options: {
  readonly headers: readonly string[];
  readonly body: string;
  readonly html?: boolean;
  readonly charset?: string;
  readonly attachments?: readonly MimeAttachment[];
}): Buffer {
  const boundary = '----=_Part_23_1234567890.1700000000000';
  const charset = options.charset ?? 'utf-8';
  const bodyType = `${options.html ? 'text/html' : 'text/plain'}; charset=${charset}`;
  const lines = [...options.headers, 'MIME-Version: 1.0'];
  const bodyBytes = Buffer.from(options.body, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  if (!options.attachments?.length) {
    lines.push(`Content-Type: ${bodyType}`, 'Content-Transfer-Encoding: base64', '', bodyBytes, '');
    return Buffer.from(lines.join('\r\n'), 'latin1');
  }
  lines.push(
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    'This is a multi-part message in MIME format.',
    '',
  );
  lines.push(
    `--${boundary}`,
    `Content-Type: ${bodyType}`,
    'Content-Transfer-Encoding: base64',
    '',
    bodyBytes,
    '',
  );
  for (const attachment of options.attachments) {
    lines.push(
      `--${boundary}`,
      `Content-Type: ${attachment.contentType}; name="${attachment.fileName}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${attachment.fileName}"`,
      '',
      attachment.bytes.toString('base64').replace(/.{76}/g, '$&\r\n'),
      '',
    );
  }
  lines.push(`--${boundary}--`, '');
  return Buffer.from(lines.join('\r\n'), 'latin1');
}
