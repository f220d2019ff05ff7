/**
 * Bounds of text extraction, so that one hostile or huge message cannot stall indexing or exhaust
 * memory. What a bound cuts off is recorded on the message as an unindexed attachment.
 */
export const EXTRACTION_LIMITS = {
  /** A message larger than this is indexed by its headers only (its blob is not parsed). */
  maxMessageBytes: 50 * 1024 * 1024,
  /** An attachment larger than this (decoded) is listed but its text is not extracted. */
  maxAttachmentBytes: 20 * 1024 * 1024,
  /** Time one attachment's extraction may take (PDF parsing is the slow one). */
  attachmentTimeoutMs: 10_000,
  /** Uncompressed bytes read out of one ZIP or office document (a zip bomb stops here). */
  maxUnzippedBytes: 50 * 1024 * 1024,
  /** Entries of one ZIP archive whose text is extracted. */
  maxZipEntries: 200,
  /** Depth of nested messages and archives followed (a message in a ZIP in a message…). */
  maxDepth: 4,
  /** Characters of text kept per message for the index (PostgreSQL's tsvector is at most 1 MB). */
  maxIndexedChars: 400_000,
} as const;
