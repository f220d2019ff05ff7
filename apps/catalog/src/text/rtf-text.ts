/** Destinations whose content is not text of the document (fonts, colours, pictures, metadata). */
const SKIPPED_DESTINATIONS =
  /^(fonttbl|colortbl|stylesheet|info|pict|object|themedata|datastore|xmlnstbl|listtable|listoverridetable|rsidtbl|generator|latentstyles|\*)$/;

/**
 * The text of an RTF document: control words dropped, `\par` as line breaks, `\'hh` bytes in the
 * document's code page (`\ansicpg`), `\uN` Unicode escapes, ignorable groups skipped.
 */
export function rtfToText(rtf: string): string {
  const codePage = /\\ansicpg(\d+)/.exec(rtf)?.[1];
  const decoder = byteDecoder(codePage);
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length > 0) out += decoder.decode(Uint8Array.from(bytes));
    bytes = [];
  };
  const skipStack: boolean[] = [false];
  let skipFallback = 0;
  for (let i = 0; i < rtf.length; i++) {
    const character = rtf[i]!;
    const skipping = skipStack[skipStack.length - 1]!;
    if (character === '{') {
      skipStack.push(skipping);
      continue;
    }
    if (character === '}') {
      if (skipStack.length > 1) skipStack.pop();
      continue;
    }
    if (character === '\\') {
      const hex = /^'([0-9a-fA-F]{2})/.exec(rtf.slice(i + 1, i + 4));
      if (hex) {
        i += 3;
        if (skipFallback > 0) skipFallback--;
        else if (!skipping) bytes.push(parseInt(hex[1]!, 16));
        continue;
      }
      const control = /^([a-zA-Z]+)(-?\d+)? ?|^([^a-zA-Z])/.exec(rtf.slice(i + 1, i + 40));
      if (!control) continue;
      i += control[0].length;
      const word = control[1];
      const symbol = control[3];
      if (symbol !== undefined) {
        if (symbol === '*') skipStack[skipStack.length - 1] = true;
        else if (!skipping && '\\{}'.includes(symbol)) {
          flush();
          out += symbol;
        } else if (!skipping && symbol === '~') out += ' ';
        continue;
      }
      if (SKIPPED_DESTINATIONS.test(word!)) {
        skipStack[skipStack.length - 1] = true;
        continue;
      }
      if (skipping) continue;
      flush();
      if (word === 'par' || word === 'line' || word === 'row' || word === 'page') out += '\n';
      else if (word === 'tab' || word === 'cell') out += '\t';
      else if (word === 'u' && control[2] !== undefined) {
        const code = Number(control[2]);
        out += String.fromCharCode(code < 0 ? code + 65536 : code);
        skipFallback = 1;
      }
      continue;
    }
    if (skipping || character === '\r' || character === '\n') continue;
    if (skipFallback > 0) {
      skipFallback--;
      continue;
    }
    flush();
    out += character;
  }
  flush();
  return out.replace(/[ \t]+/g, ' ').trim();
}

function byteDecoder(codePage: string | undefined): { decode(bytes: Uint8Array): string } {
  try {
    return new TextDecoder(codePage ? `windows-${codePage}` : 'windows-1252');
  } catch {
    return new TextDecoder('windows-1252');
  }
}
