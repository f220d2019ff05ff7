import { isUtf8 } from 'node:buffer';

import { decodeHeaderBlock } from '../headers/content-type.js';
import { wellFormed } from '../headers/well-formed.js';
import { type HeaderColumns, headerColumns, headerSearchText } from '../ingest/catalog-row.js';
import { EXTRACTION_LIMITS } from './extraction-limits.js';
import { indexableText } from './index-text.js';
import { type AttachmentInfo, extractMessageText } from './message-text.js';

/** Bump when extraction changes in a way that should re-index archives (then request re-indexes). */
export const TEXT_EXTRACTOR_VERSION = 1;

/**
 * Characters of the extracted text kept for snippets: ts_headline reads it for each listed row at
 * query time, and it is stored once per blob (4 KB × a million messages is 4 GB already).
 */
const EXCERPT_CHARS = 4_000;

/** What the text indexer stores for one blob of a tenant (catalog.message_content). */
export interface ContentToSave {
  /** Header words (index-text.ts applied): weight A. */
  readonly headerText: string;
  /** Body and attachments' text (index-text.ts applied): weight D. */
  readonly bodyText: string;
  readonly excerpt: string;
  readonly attachments: AttachmentInfo[];
  readonly unindexedAttachments: boolean;
  /** Header columns read again in the declared charset, when the raw header block is not UTF-8. */
  readonly headers: HeaderColumns | null;
}

/**
 * The index content of a raw message. Only the header block of a message over the size limit is
 * given (`complete` false): it is indexed by its headers, and marked as having unindexed content.
 */
export async function messageContent(raw: Buffer, complete: boolean): Promise<ContentToSave> {
  const headerBlock = raw.subarray(0, headerEnd(raw));
  const headers = decodeHeaderBlock(headerBlock);
  const extracted = complete
    ? await extractMessageText(raw).catch((error: unknown) => ({
        text: '',
        attachments: [],
        unindexed: true,
        failure: error,
      }))
    : { text: '', attachments: [], unindexed: true };
  const text = tidy(extracted.text);
  return {
    headerText: headerSearchText(headers),
    bodyText: indexableText(text),
    excerpt: text.slice(0, EXCERPT_CHARS),
    attachments: extracted.attachments,
    unindexedAttachments: extracted.unindexed,
    // Only a raw 8-bit block can read differently here than from the event (declared charset).
    headers: isUtf8(headerBlock) ? null : headerColumns(headers),
  };
}

/** Bytes of a message read for its headers when it is too large to extract. */
export const HEADER_PREFIX_BYTES = 256 * 1024;

export function tooLargeToExtract(size: number): boolean {
  return size > EXTRACTION_LIMITS.maxMessageBytes;
}

/** End of the header block: the first empty line (the whole message when there is none). */
function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((index) => index >= 0);
  return ends.length === 0 ? raw.length : Math.min(...ends) + 1;
}

/** Runs of blank lines and spaces collapsed: snippets read as prose. PostgreSQL text cannot hold NUL. */
function tidy(text: string): string {
  return wellFormed(
    text
      .replace(/\0/g, ' ')
      .replace(/[ \t\r\u00a0]+/g, ' ')
      .replace(/ ?(?:\n ?){2,}/g, '\n'),
  );
}
