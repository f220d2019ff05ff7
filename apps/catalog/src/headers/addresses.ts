import { quotedEnd } from './address-display.js';
import { decodeEncodedWords } from './encoded-words.js';

/** An encoded word is one token: a comma or quote inside it (lenient mailers write them) splits nothing. */
const ENCODED_WORD_AT = /^=\?[^?\s]+\?[BbQq]\?[^?]*\?=/;

/** One mailbox of an address list: its display name (decoded, may be empty) and address (may be empty). */
export interface MailAddress {
  readonly name: string;
  /** Lower-cased `local@domain`; empty when the entry had no address (a bare name, garbage). */
  readonly address: string;
}

/**
 * Parses an RFC 5322 address list leniently: display names as words or quoted strings (with
 * encoded words, even inside quotes as many mailers write them), `<angle>` addresses (source routes
 * dropped), bare addresses, a `(comment)` as the name when there is no other, groups
 * (`Team: a@x, b@y;`, `undisclosed-recipients:;`) flattened to their members. Never throws: what
 * cannot be read as an address becomes a name, and an entry with neither is dropped.
 */
export function parseAddressList(text: string): MailAddress[] {
  const result: MailAddress[] = [];
  let phrase = '';
  let comment = '';
  let angle: string | undefined;
  let inGroup = false;
  const finish = () => {
    const entry = toAddress(phrase, comment, angle);
    if (entry) result.push(entry);
    phrase = '';
    comment = '';
    angle = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const character = text[i]!;
    const encodedWord = character === '=' ? ENCODED_WORD_AT.exec(text.slice(i, i + 1000)) : null;
    if (encodedWord) {
      phrase += encodedWord[0];
      i += encodedWord[0].length - 1;
    } else if (character === '"') {
      const end = quotedEnd(text, i);
      phrase += ` ${unescape(text.slice(i + 1, end))} `;
      i = end;
    } else if (character === '(') {
      const end = commentEnd(text, i);
      comment += (comment ? ' ' : '') + unescape(text.slice(i + 1, end));
      i = end;
    } else if (character === '<' && text.indexOf('>', i + 1) > 0) {
      const end = text.indexOf('>', i + 1);
      angle = text.slice(i + 1, end);
      i = end;
    } else if (character === ',') {
      finish();
    } else if (character === ';') {
      finish();
      inGroup = false;
    } else if (character === ':' && !inGroup && angle === undefined) {
      // A group's display name: the members follow; the name itself is no mailbox.
      phrase = '';
      comment = '';
      inGroup = true;
    } else {
      phrase += character;
    }
  }
  finish();
  return result;
}

function toAddress(phrase: string, comment: string, angle: string | undefined): MailAddress | undefined {
  let name = clean(phrase);
  let address: string;
  if (angle !== undefined) {
    // `<@relay1,@relay2:user@host>`: the route before the colon is obsolete syntax.
    // Comments may sit inside the address too (`<pete(his account)@silly(his host).test>`).
    const bare = withoutComments(angle);
    address = bare.slice(bare.lastIndexOf(':') + 1);
  } else if (name.includes('@') && !/\s/.test(name)) {
    address = name;
    name = '';
  } else if (name.includes('@')) {
    // `user @ host`, or words followed by an address without brackets: take the last word with an `@`.
    const words = name.split(/\s+/);
    const at = words.findLastIndex((word) => word.includes('@'));
    address = words[at]!;
    name = words.filter((_, index) => index !== at).join(' ');
  } else {
    address = '';
  }
  if (!name) name = clean(comment);
  address = address.replace(/\s+/g, '').toLowerCase();
  name = decodeEncodedWords(name).trim();
  if (!name && !address) return undefined;
  return { name, address };
}

/** The text without its `(comments)`, nested or escaped ones included. */
function withoutComments(text: string): string {
  let result = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') i = commentEnd(text, i);
    else result += text[i];
  }
  return result;
}

function commentEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
