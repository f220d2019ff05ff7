import { domainToASCII } from 'node:url';

/**
 * What a valid mailbox address is (SPEC D1), shared by the directory service and the api edge (the
 * CSV import finds duplicate rows before it sends them): a practical RFC 5321 / RFC 6531 check.
 * Local parts are dot-atoms (UTF-8 allowed, no quoted strings, no comments, no spaces); domains
 * are host names, converted to ASCII (IDNA) and lower-cased; IP literals are refused.
 */

/** RFC 5321 §4.5.3.1.1: a local part has at most 64 octets. */
export const MAX_LOCAL_PART_OCTETS = 64;
/** RFC 5321 forward-path limit (256) less the angle brackets. */
export const MAX_ADDRESS_OCTETS = 254;
/** RFC 1035: 253 characters for a whole name, 63 per label. */
const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

// atext of RFC 5322 plus any non-ASCII character except separators and controls (RFC 6531 UTF8-non-ascii).
const LOCAL_ATOM = /^(?:[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]|[^\p{ASCII}\p{Z}\p{C}])+$/u;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export interface MailAddress {
  /** The address as stored: the local part as given (NFC), the domain in lower-case ASCII. */
  readonly address: string;
  /** What uniqueness compares: the whole address lower-cased. */
  readonly key: string;
}

export type MailAddressCheck = MailAddress | { readonly error: string };

const octets = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Validates and normalises one address; surrounding white space is ignored. */
export function checkMailAddress(input: string): MailAddressCheck {
  const text = input.trim().normalize('NFC');
  if (text === '') return { error: 'is empty' };
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return { error: 'must look like local@domain' };
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (local.includes('@')) return { error: 'has more than one @' };
  if (octets(local) > MAX_LOCAL_PART_OCTETS)
    return { error: `has a local part longer than ${MAX_LOCAL_PART_OCTETS} octets` };
  const atoms = local.split('.');
  if (atoms.some((atom) => !LOCAL_ATOM.test(atom)))
    return { error: 'has a local part with a character, a space, a quote or a dot out of place' };
  if (domain.startsWith('[')) return { error: 'must name a domain, not an IP address' };
  const ascii = domainToASCII(domain).toLowerCase();
  if (ascii === '' || ascii.length > MAX_DOMAIN_LENGTH) return { error: 'has an invalid domain' };
  const labels = ascii.split('.');
  if (labels.length < 2) return { error: 'must have a domain with at least two labels' };
  if (labels.some((label) => label.length > MAX_LABEL_LENGTH || !LABEL.test(label)))
    return { error: 'has an invalid domain' };
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? ''))
    return { error: 'must name a domain, not an IP address' };
  const address = `${local}@${ascii}`;
  if (octets(address) > MAX_ADDRESS_OCTETS) return { error: `is longer than ${MAX_ADDRESS_OCTETS} octets` };
  return { address, key: address.toLowerCase() };
}

export function isMailAddressError(check: MailAddressCheck): check is { readonly error: string } {
  return 'error' in check;
}
