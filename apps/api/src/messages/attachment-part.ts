import type { MessageRawLocation } from '@mailkeep/contracts';
import type { BlobStore } from '@mailkeep/storage';
import PostalMime from 'postal-mime';

import { rawBlobLocation } from './raw-blob-location.js';

/**
 * The decoded bytes of attachment `part` of an archived message, or undefined when it has no such
 * part. The numbering is the catalog's (apps/catalog/src/text/message-text.ts): postal-mime's
 * attachments with `forceRfc822Attachments`, so a nested message is one attachment. The message
 * is read whole: attachments are listed only for messages the catalog extracted (at most 50 MB).
 */
export async function attachmentOf(
  blobs: BlobStore,
  location: MessageRawLocation,
  part: number,
): Promise<Buffer | undefined> {
  const stream = await blobs.get(location.tenantId, location.sha256, rawBlobLocation(location));
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  } finally {
    stream.destroy();
  }
  const email = await PostalMime.parse(Buffer.concat(chunks), {
    forceRfc822Attachments: true,
    attachmentEncoding: 'arraybuffer',
  });
  const attachment = email.attachments[part];
  if (!attachment) return undefined;
  const content = attachment.content;
  if (typeof content === 'string') return Buffer.from(content, 'base64');
  return content instanceof Uint8Array ? Buffer.from(content) : Buffer.from(new Uint8Array(content));
}
