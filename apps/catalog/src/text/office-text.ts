import { type Unzipped, unzipSync } from 'fflate';

import { EXTRACTION_LIMITS } from './extraction-limits.js';
import { htmlToText } from './html-text.js';

/** The archive was over the limits: its text is not (fully) extracted. */
export class ArchiveTooLargeError extends Error {}

/**
 * The entries of a ZIP archive (an office document is one) that `wanted` selects, uncompressed;
 * entries past the limits are not inflated (their sizes come from the central directory, so a zip
 * bomb is refused before any byte of it is inflated).
 */
export function unzipEntries(bytes: Uint8Array, wanted: (name: string) => boolean): Unzipped {
  let total = 0;
  let count = 0;
  let refused = false;
  const entries = unzipSync(bytes, {
    filter: (file) => {
      if (!wanted(file.name) || file.name.endsWith('/')) return false;
      if (
        count >= EXTRACTION_LIMITS.maxZipEntries ||
        total + file.originalSize > EXTRACTION_LIMITS.maxUnzippedBytes
      ) {
        refused = true;
        return false;
      }
      count++;
      total += file.originalSize;
      return true;
    },
  });
  if (refused && count === 0)
    throw new ArchiveTooLargeError('the archive is larger than the extraction limits');
  return entries;
}

const UTF8 = new TextDecoder('utf-8');

/** Word, Excel and PowerPoint (OOXML) and OpenDocument files: the text of their XML parts. */
export function officeText(bytes: Uint8Array): string {
  const entries = unzipEntries(bytes, isTextPart);
  return Object.keys(entries)
    .sort(naturalOrder)
    .map((name) => htmlToText(UTF8.decode(entries[name])))
    .filter((text) => text !== '')
    .join('\n');
}

/** The parts of an office document holding its text (not styles, themes, relations). */
function isTextPart(name: string): boolean {
  return (
    name === 'word/document.xml' ||
    /^word\/(header|footer|footnotes|endnotes|comments)\d*\.xml$/.test(name) ||
    name === 'xl/sharedStrings.xml' ||
    /^xl\/worksheets\/sheet\d+\.xml$/.test(name) ||
    /^ppt\/(slides|notesSlides)\/(slide|notesSlide)\d+\.xml$/.test(name) ||
    name === 'content.xml' // OpenDocument (odt, ods, odp)
  );
}

/** `slide2.xml` before `slide10.xml`. */
function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
