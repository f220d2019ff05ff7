import { isUtf8 } from 'node:buffer';

import { parseHeaderBlock } from '@mailkeep/connector-kit';

import { type DecodedHeaders, decodeHeaders } from './decode-headers.js';

/**
 * The charset the message declares on its top Content-Type (`charset=big5`), from its raw header
 * block; undefined when there is none. Raw 8-bit headers are most often in that charset.
 */
export function declaredCharset(headerBlock: Buffer): string | undefined {
  const text = headerBlock.toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  const contentType = /^content-type:(.*)$/im.exec(text)?.[1];
  if (contentType === undefined) return undefined;
  const charset = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType);
  const value = (charset?.[1] ?? charset?.[2])?.trim().toLowerCase();
  return value ? value : undefined;
}

/**
 * A raw header block (from the blob) decoded as the catalog stores it. Only a block that is not
 * UTF-8 is read in its declared charset: a UTF-8 block reaches the decoder as text already, and
 * its Latin-1 letters must not be taken for Big5.
 */
export function decodeHeaderBlock(headerBlock: Buffer): DecodedHeaders {
  const charset = isUtf8(headerBlock) ? undefined : declaredCharset(headerBlock);
  return decodeHeaders(parseHeaderBlock(headerBlock), charset);
}
