import { extractText } from 'unpdf';

import { EXTRACTION_LIMITS } from './extraction-limits.js';
import { htmlToText } from './html-text.js';
import { officeText, unzipEntries } from './office-text.js';
import { rtfToText } from './rtf-text.js';

/** What a file is, for extraction: decided by its MIME type, else by its file name's extension. */
export type FileKind = 'pdf' | 'office' | 'rtf' | 'html' | 'text' | 'zip' | 'message' | 'other';

const OFFICE_EXTENSIONS = /\.(docx|docm|dotx|xlsx|xlsm|pptx|pptm|odt|ods|odp|ott)$/i;

export function fileKind(mimeType: string, fileName: string | null): FileKind {
  const type = mimeType.toLowerCase();
  const name = fileName ?? '';
  if (type === 'message/rfc822' || type === 'message/global' || /\.eml$/i.test(name)) return 'message';
  if (type === 'application/pdf' || /\.pdf$/i.test(name)) return 'pdf';
  if (
    type.includes('officedocument') ||
    type.startsWith('application/vnd.oasis.opendocument') ||
    OFFICE_EXTENSIONS.test(name)
  )
    return 'office';
  if (type === 'application/rtf' || type === 'text/rtf' || /\.rtf$/i.test(name)) return 'rtf';
  if (type === 'text/html' || /\.html?$/i.test(name)) return 'html';
  if (type === 'application/zip' || type === 'application/x-zip-compressed' || /\.zip$/i.test(name))
    return 'zip';
  if (type.startsWith('text/') || /\.(txt|csv|tsv|log|md|json|xml|ics|vcf)$/i.test(name)) return 'text';
  return 'other';
}

/** A file inside a ZIP archive, for the caller to extract like an attachment. */
export interface ArchivedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The files of a ZIP archive, up to the extraction limits. */
export function zipFiles(bytes: Uint8Array): ArchivedFile[] {
  const entries = unzipEntries(bytes, (name) => fileKind('', name) !== 'other');
  return Object.entries(entries).map(([name, content]) => ({ name, bytes: content }));
}

/** The text of a document of one of the single-file kinds (not messages and ZIP archives). */
export async function documentText(kind: FileKind, bytes: Uint8Array, charset?: string): Promise<string> {
  switch (kind) {
    case 'pdf':
      return pdfText(bytes);
    case 'office':
      return officeText(bytes);
    case 'rtf':
      return rtfToText(Buffer.from(bytes).toString('latin1'));
    case 'html':
      return htmlToText(textOf(bytes, charset));
    case 'text':
      return textOf(bytes, charset);
    case 'message':
    case 'zip':
    case 'other':
      return '';
  }
}

/** pdf.js (unpdf's serverless build: pure JS, no canvas), the document destroyed after use. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const { text } = await extractText(new Uint8Array(bytes), { mergePages: true });
  return text;
}

/** Text bytes: UTF-8 (with or without BOM) when valid, else the declared charset, else windows-1252. */
function textOf(bytes: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    try {
      return new TextDecoder(charset ?? 'windows-1252').decode(bytes);
    } catch {
      return new TextDecoder('windows-1252').decode(bytes);
    }
  }
}

/** Rejects when `work` takes longer than the limit (its result is then ignored). */
export function withinTime<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${EXTRACTION_LIMITS.attachmentTimeoutMs} ms`)),
      EXTRACTION_LIMITS.attachmentTimeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
