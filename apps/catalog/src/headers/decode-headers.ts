import { decodeAddressHeader } from './address-display.js';
import { type MailAddress, parseAddressList } from './addresses.js';
import { headerText } from './charsets.js';
import { decodeEncodedWords } from './encoded-words.js';
import { parseMailDate } from './mail-date.js';
import { wellFormed } from './well-formed.js';

/** The raw header values of an archived event (unfolded; charset and RFC 2047 not decoded). */
export interface RawArchivedHeaders {
  readonly messageId?: string | undefined;
  readonly subject?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly cc?: string | undefined;
  readonly date?: string | undefined;
}

/** The headers as the catalog stores and shows them. */
export interface DecodedHeaders {
  readonly messageId: string | null;
  readonly subject: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly cc: string | null;
  readonly date: Date | null;
  /** Parsed From mailboxes: the `from` filter. */
  readonly fromAddresses: readonly MailAddress[];
  /** Parsed To and Cc mailboxes: the `to` filter. */
  readonly recipientAddresses: readonly MailAddress[];
}

/**
 * Decodes the header values of an archived event: bytes to text (charsets.ts), folding undone,
 * RFC 2047 encoded words decoded, control characters (NUL included, which PostgreSQL text cannot
 * hold) turned into spaces. An absent or blank header is null. The connector keeps the first of
 * duplicated headers, so each value here is the first one the message had. `declaredCharset` is
 * the charset of the message's top Content-Type, when known: raw 8-bit header bytes that are not
 * UTF-8 are read in it (the text indexer knows it; the archived event does not carry it).
 */
export function decodeHeaders(raw: RawArchivedHeaders, declaredCharset?: string): DecodedHeaders {
  const text = (value: string | undefined) => unfolded(value, declaredCharset);
  const fromText = text(raw.from);
  const toText = text(raw.to);
  const ccText = text(raw.cc);
  const messageId = text(raw.messageId);
  const subject = text(raw.subject);
  return {
    messageId: messageId === null ? null : printable(messageId),
    subject: subject === null ? null : printable(decodeEncodedWords(subject)),
    from: fromText === null ? null : printable(decodeAddressHeader(fromText)),
    to: toText === null ? null : printable(decodeAddressHeader(toText)),
    cc: ccText === null ? null : printable(decodeAddressHeader(ccText)),
    date: parseMailDate(text(raw.date)),
    fromAddresses: addresses(fromText),
    recipientAddresses: [...addresses(toText), ...addresses(ccText)],
  };
}

/** The value as text with folding undone, or null when absent or blank. */
function unfolded(raw: string | undefined, declaredCharset: string | undefined): string | null {
  if (raw === undefined) return null;
  const value = headerText(raw, declaredCharset)
    .replace(/\r?\n(?=[ \t])/g, '')
    .trim();
  return value === '' ? null : value;
}

function addresses(value: string | null): MailAddress[] {
  if (value === null) return [];
  return parseAddressList(value).map((entry) => ({
    name: printable(entry.name),
    address: printable(entry.address).replace(/\s+/g, ''),
  }));
}

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g; // eslint-disable-line no-control-regex

/** Controls become spaces (a decoded `=00` or `=0A` must not reach the database or a file name). */
function printable(value: string): string {
  return wellFormed(value).replace(CONTROL_CHARACTERS, ' ').trim();
}
