import PostalMime, { type Attachment } from 'postal-mime';

import { documentText, fileKind, withinTime, zipFiles } from './attachment-text.js';
import { EXTRACTION_LIMITS } from './extraction-limits.js';
import { htmlToText } from './html-text.js';

/** One attachment of a message as the catalog lists it. */
export interface AttachmentInfo {
  /**
   * Its position among the MIME parser's attachments of the message (postal-mime with
   * `forceRfc822Attachments`): the api's attachment download finds it again by this number.
   */
  readonly part: number;
  /** File name (decoded), or a name made from its type when the part has none. */
  readonly name: string;
  readonly mimeType: string;
  /** Decoded size in bytes. */
  readonly size: number;
  /** Whether its text is in the index (false: a format without text, or extraction failed). */
  readonly indexed: boolean;
  /** Why its text is not indexed (`unsupported type`, `too large`, `timed out`, `unreadable: …`). */
  readonly reason?: string;
}

/** What a message's bytes give the full text index. */
export interface MessageText {
  /** The body's text, then each attachment's text, then nested messages' (capped). */
  readonly text: string;
  /** The message's attachments (top level), in order. */
  readonly attachments: AttachmentInfo[];
  /** Some attachment of a format that should have text could not be read (the `unindexed` filter). */
  readonly unindexed: boolean;
}

/** Kinds with no text to look for: not being indexed is no failure (images, audio, binaries). */
const TEXTLESS = new Set(['other']);

/**
 * Extracts the searchable text of a raw message: its text parts (plain; HTML reduced to text;
 * charsets decoded by the MIME parser, legacy ones included), and the text of its attachments —
 * PDF, OOXML and OpenDocument, RTF, plain text and CSV, HTML, nested messages (recursively) and
 * the files inside ZIP archives — each within the size and time limits of EXTRACTION_LIMITS.
 */
export async function extractMessageText(raw: Uint8Array): Promise<MessageText> {
  const parts: string[] = [];
  const state = { chars: 0, unindexed: false };
  const attachments = await extractInto(raw, 0, parts, state);
  return { text: parts.join('\n\n'), attachments, unindexed: state.unindexed };
}

interface ExtractionState {
  chars: number;
  unindexed: boolean;
}

async function extractInto(
  raw: Uint8Array,
  depth: number,
  parts: string[],
  state: ExtractionState,
): Promise<AttachmentInfo[]> {
  const email = await PostalMime.parse(raw, {
    forceRfc822Attachments: true,
    attachmentEncoding: 'arraybuffer',
  });
  if (depth > 0) push(parts, state, [email.subject ?? '', addressText(email.from)].join('\n'));
  // An HTML-only message has no text part: its HTML reduced to text stands for it.
  push(parts, state, email.text ?? (email.html === undefined ? '' : htmlToText(email.html)));
  const listed: AttachmentInfo[] = [];
  for (const [part, attachment] of email.attachments.entries()) {
    const bytes = bytesOf(attachment);
    const info = await extractAttachment(
      attachment.filename,
      attachment.mimeType,
      bytes,
      depth,
      parts,
      state,
    );
    // Inline images of the HTML body are part of its layout, not attachments a person sends.
    if (attachment.related && info.mimeType.startsWith('image/')) continue;
    listed.push({ part, ...info });
  }
  return listed;
}

async function extractAttachment(
  fileName: string | null,
  mimeType: string,
  bytes: Uint8Array,
  depth: number,
  parts: string[],
  state: ExtractionState,
): Promise<Omit<AttachmentInfo, 'part'>> {
  const kind = fileKind(mimeType, fileName);
  const base = { name: fileName ?? defaultName(mimeType), mimeType, size: bytes.byteLength };
  if (TEXTLESS.has(kind)) return { ...base, indexed: false, reason: 'unsupported type' };
  const failed = (reason: string): Omit<AttachmentInfo, 'part'> => {
    state.unindexed = true;
    return { ...base, indexed: false, reason };
  };
  if (bytes.byteLength > EXTRACTION_LIMITS.maxAttachmentBytes) return failed('too large');
  if (depth >= EXTRACTION_LIMITS.maxDepth) return failed('nested too deep');
  try {
    if (kind === 'message') {
      await withinTime(extractInto(bytes, depth + 1, parts, state), 'nested message');
    } else if (kind === 'zip') {
      for (const file of zipFiles(bytes)) {
        await extractAttachment(file.name, '', file.bytes, depth + 1, parts, state);
      }
      push(parts, state, '');
    } else {
      push(parts, state, await withinTime(documentText(kind, bytes), base.name));
    }
    return { ...base, indexed: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failed(/longer than/.test(message) ? 'timed out' : `unreadable: ${message.slice(0, 200)}`);
  }
}

/** Adds text while the message's budget lasts (what is past it is not indexed). */
function push(parts: string[], state: ExtractionState, text: string): void {
  const room = EXTRACTION_LIMITS.maxIndexedChars - state.chars;
  if (room <= 0 || text.trim() === '') return;
  const kept = text.length > room ? text.slice(0, room) : text;
  parts.push(kept);
  state.chars += kept.length;
}

function bytesOf(attachment: Attachment): Uint8Array {
  const content = attachment.content;
  if (typeof content === 'string')
    return Buffer.from(content, attachment.encoding === 'base64' ? 'base64' : 'utf8');
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

function addressText(address: PostalMimeAddress | undefined): string {
  if (!address) return '';
  return address.group
    ? address.group.map((entry) => `${entry.name} ${entry.address}`).join(' ')
    : `${address.name} ${address.address}`;
}

type PostalMimeAddress = NonNullable<Awaited<ReturnType<typeof PostalMime.parse>>['from']>;

function defaultName(mimeType: string): string {
  return mimeType === 'message/rfc822' ? 'message.eml' : `attachment.${mimeType.split('/')[1] ?? 'bin'}`;
}
