/** File names are cut to this many characters before `.eml`: within every filesystem's limit. */
const MAX_FILE_NAME_LENGTH = 100;

/** Names Windows reserves whatever the extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * `attachment` with a file name made from the subject (or the id when it has none usable): no
 * path separators, quotes, controls or characters Windows refuses; an ASCII `filename` for old
 * clients and the exact name as RFC 5987/6266 `filename*`.
 */
export function emlContentDisposition(subject: string | null, id: string): string {
  return attachmentContentDisposition(`${safeFileName(subject ?? '') || id}.eml`, id);
}

/** `attachment` with the file name made safe (`fallback` when nothing of it is usable). */
export function attachmentContentDisposition(fileName: string, fallback: string): string {
  const name = safeFileName(fileName) || fallback;
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

export function safeFileName(text: string): string {
  const cleaned = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f<>:"/\\|?*;]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const cut = [...cleaned].slice(0, MAX_FILE_NAME_LENGTH).join('').trim();
  return WINDOWS_RESERVED.test(cut) ? `_${cut}` : cut;
}

/** RFC 5987 value-chars: percent-encoded UTF-8 except attr-char. */
function encodeRfc5987(text: string): string {
  return encodeURIComponent(text).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
