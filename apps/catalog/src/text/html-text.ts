const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  szlig: 'ß',
  euro: '€',
  copy: '©',
  reg: '®',
  trade: '™',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
  deg: '°',
  sect: '§',
  times: '×',
  aelig: 'æ',
  AElig: 'Æ',
  oslash: 'ø',
  Oslash: 'Ø',
};

/** `&eacute;`, `&Uuml;`…: a letter and an accent, composed (the Latin-1 entities of HTML 4). */
const ACCENTS: Record<string, string> = {
  acute: '\u0301',
  grave: '\u0300',
  circ: '\u0302',
  uml: '\u0308',
  tilde: '\u0303',
  ring: '\u030a',
  cedil: '\u0327',
};

/**
 * HTML (or XML) reduced to its text: scripts, styles and comments dropped, block ends become line
 * breaks, tags go, entities are decoded. Enough for an index: no layout is kept.
 */
export function htmlToText(html: string): string {
  // Every step is linear in the input (no regex that rescans the text from each `<`): a hostile
  // part of 10 MB of `<` or unclosed comments must not stall indexing.
  let text = removeBlocks(html, '<!--', () => '-->');
  for (const tag of ['script', 'style', 'head']) text = removeBlocks(text, `<${tag}`, () => `</${tag}`, true);
  return decodeEntities(
    text
      .replace(/<\/?(p|div|br|li|tr|h[1-6]|table|blockquote|text:p|text:h|w:p|a:p)\b[^<>]*>/gi, '\n')
      .replace(/<[^<>]*>/g, ' '),
  )
    .replace(/[ \t\f\v\r\u00a0]+/g, ' ')
    .replace(/ ?(?:\n ?)+/g, '\n')
    .trim();
}

/** The text without each `open … close` block (an unclosed one runs to the end), found by indexOf. */
function removeBlocks(text: string, open: string, close: () => string, ignoreCase = false): string {
  const haystack = ignoreCase ? text.toLowerCase() : text;
  let result = '';
  let position = 0;
  for (;;) {
    const start = haystack.indexOf(open, position);
    if (start < 0) return result + text.slice(position);
    result += `${text.slice(position, start)} `;
    const end = haystack.indexOf(close(), start + open.length);
    if (end < 0) return result;
    const after = haystack.indexOf('>', end);
    position = after < 0 ? text.length : after + 1;
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code =
        entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    const accent = /^([a-zA-Z])(acute|grave|circ|uml|tilde|ring|cedil)$/.exec(entity);
    if (accent) return (accent[1]! + ACCENTS[accent[2]!]!).normalize('NFC');
    return ENTITIES[entity] ?? ENTITIES[entity.toLowerCase()] ?? whole;
  });
}
