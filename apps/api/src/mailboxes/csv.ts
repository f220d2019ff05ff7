/**
 * A small RFC 4180 CSV reader: quoted fields with `""` escapes and line breaks inside, CRLF / LF / CR
 * line ends, a leading UTF-8 BOM, blank lines skipped. A malformed record (text after a closing
 * quote, a quote inside an unquoted field) is reported on its own and reading goes on at the next
 * line; an unterminated quote ends the file.
 */
export interface CsvRecord {
  /** 1-based position of the record in the file (the header is 1), as a spreadsheet numbers rows. */
  readonly row: number;
  readonly cells: string[];
  /** Set when the record is malformed; `cells` is then incomplete. */
  readonly error?: string;
}

export function parseCsv(text: string): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let row = 0;
  let i = 0;
  const n = input.length;
  while (i < n) {
    const cells: string[] = [];
    let error: string | undefined;
    let cell = '';
    let quoted = false;
    let cellStarted = false;
    // One record: until an unquoted line end or the end of the input.
    for (;;) {
      if (i >= n) {
        if (quoted) error = 'a quoted field is not closed';
        cells.push(cell);
        break;
      }
      const c = input[i] as string;
      if (quoted) {
        if (c === '"') {
          if (input[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
            const next = input[i];
            if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
              error = 'text follows a closing quote';
            }
          }
        } else {
          cell += c;
          i++;
        }
        continue;
      }
      if (c === ',') {
        cells.push(cell);
        cell = '';
        cellStarted = false;
        i++;
      } else if (c === '\r' || c === '\n') {
        cells.push(cell);
        i += c === '\r' && input[i + 1] === '\n' ? 2 : 1;
        break;
      } else if (c === '"' && !cellStarted) {
        quoted = true;
        cellStarted = true;
        i++;
      } else {
        if (c === '"')
          error ??= 'a quote inside an unquoted field (quote the whole field and double the quote)';
        cell += c;
        cellStarted = true;
        i++;
      }
      if (error !== undefined) {
        // Skip to the end of the physical line and report the record.
        while (i < n && input[i] !== '\n' && input[i] !== '\r') i++;
        if (input[i] === '\r' && input[i + 1] === '\n') i++;
        i++;
        break;
      }
    }
    row++;
    const blank = error === undefined && cells.length === 1 && cells[0] === '';
    if (!blank) records.push({ row, cells, ...(error !== undefined && { error }) });
  }
  return records;
}
