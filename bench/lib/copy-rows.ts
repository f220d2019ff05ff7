import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** About 256 KB of COPY text per write: few writes, and little held in memory. */
const BATCH_CHARS = 256 * 1024;

/** A value of one COPY column: text as is, null as SQL NULL. */
export type CopyValue = string | number | null;

/**
 * One field in COPY's text format: backslash, tab, newline and carriage return are escaped (they
 * delimit fields and rows), and `\N` is NULL.
 */
function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  return String(value).replace(
    /[\\\t\n\r]/g,
    (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!,
  );
}

/**
 * Loads rows into a table with `COPY … FROM STDIN` over one connection: the bulk path PostgreSQL
 * offers (no per-row statement, parse or plan), so a bench can fill a table with a million
 * generated rows in minutes. Rows are pulled from the generator as the stream drains, so memory
 * stays flat whatever the count.
 */
export async function copyRows(
  databaseUrl: string,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    // Rows go out in batches: one stream write per row would cost more than the row itself.
    const batches = (function* () {
      let batch = '';
      for (const row of rows) {
        batch += `${row.map(copyField).join('\t')}\n`;
        if (batch.length >= BATCH_CHARS) {
          yield batch;
          batch = '';
        }
      }
      if (batch !== '') yield batch;
    })();
    await pipeline(Readable.from(batches), sink);
  } finally {
    await client.end();
  }
}
