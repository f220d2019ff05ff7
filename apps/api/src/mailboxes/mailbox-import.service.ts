import {
  checkMailAddress,
  ContractError,
  IMPORT_CELL_MAX_LENGTH,
  IMPORT_CHUNK_MAX_BYTES,
  IMPORT_CHUNK_MAX_ROWS,
  type ImportRow,
  type ImportRowError,
  MAILBOXES_IMPORT_V1,
  type MailboxesImportReply,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Injectable } from '@nestjs/common';

import { parseCsv } from './csv.js';

const COLUMNS = ['primaryAddress', 'displayName', 'secondaryAddresses'] as const;
type Column = (typeof COLUMNS)[number];

/**
 * One chunk is at most 1,000 rows written with a few multi-row statements; 30 seconds leaves room
 * for a loaded database without letting an HTTP caller hang for ever.
 */
const IMPORT_CHUNK_TIMEOUT_MS = 30_000;

/**
 * The CSV import (SPEC D1): the api reads the file, finds duplicate primary addresses across the
 * whole file, and sends the rows to the directory service in chunks that fit NATS's 1 MB payload
 * limit, one after the other. Chunks already sent stay imported if a later one fails; the import
 * is idempotent, so sending the file again finishes it.
 */
@Injectable()
export class MailboxImportService {
  constructor(private readonly bus: MessageBus) {}

  async import(tenantId: string, csv: string, directoryServiceId?: string): Promise<MailboxesImportReply> {
    const records = parseCsv(csv);
    const header = records.shift();
    if (!header || header.error !== undefined) {
      throw ContractError.validation([
        {
          field: 'body',
          message: 'the CSV needs a header row: primaryAddress,displayName,secondaryAddresses',
        },
      ]);
    }
    const positions = headerPositions(header.cells);
    const errors: ImportRowError[] = [];
    const rows: ImportRow[] = [];
    const firstRowOf = new Map<string, number>();
    for (const record of records) {
      if (record.error !== undefined) {
        errors.push({ row: record.row, message: record.error });
        continue;
      }
      if (record.cells.length !== header.cells.length) {
        errors.push({
          row: record.row,
          message: `has ${record.cells.length} fields, the header has ${header.cells.length}`,
        });
        continue;
      }
      const cell = (column: Column) => {
        const position = positions[column];
        return position === undefined ? '' : (record.cells[position] ?? '');
      };
      const row = {
        row: record.row,
        primaryAddress: cell('primaryAddress'),
        displayName: cell('displayName'),
        secondaryAddresses: cell('secondaryAddresses'),
      };
      const tooLong = COLUMNS.find((column) => row[column].length > IMPORT_CELL_MAX_LENGTH[column]);
      if (tooLong) {
        errors.push({
          row: record.row,
          message: `${tooLong} is longer than ${IMPORT_CELL_MAX_LENGTH[tooLong]} characters`,
        });
        continue;
      }
      // The same primary address twice in one file: the first row wins, later ones are errors.
      const checked = checkMailAddress(row.primaryAddress);
      if ('key' in checked) {
        const first = firstRowOf.get(checked.key);
        if (first !== undefined) {
          errors.push({
            row: record.row,
            message: `the primary address ${checked.address} is also in row ${first}`,
          });
          continue;
        }
        firstRowOf.set(checked.key, record.row);
      }
      rows.push(row);
    }
    const total: MailboxesImportReply = { created: 0, updated: 0, unchanged: 0, errors };
    for (const chunk of chunks(rows)) {
      const reply = await this.bus.request(
        MAILBOXES_IMPORT_V1,
        { tenantId, ...(directoryServiceId !== undefined && { directoryServiceId }), rows: chunk },
        { timeoutMs: IMPORT_CHUNK_TIMEOUT_MS },
      );
      total.created += reply.created;
      total.updated += reply.updated;
      total.unchanged += reply.unchanged;
      errors.push(...reply.errors);
    }
    errors.sort((a, b) => a.row - b.row);
    return total;
  }
}

function headerPositions(cells: readonly string[]): Partial<Record<Column, number>> {
  const positions: Partial<Record<Column, number>> = {};
  const problems: string[] = [];
  cells.forEach((raw, index) => {
    const name = raw.trim();
    const column = COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase());
    if (!column) problems.push(`unknown column "${name}"`);
    else if (positions[column] !== undefined) problems.push(`column "${column}" appears twice`);
    else positions[column] = index;
  });
  if (positions.primaryAddress === undefined) problems.push('column "primaryAddress" is missing');
  if (problems.length > 0) {
    throw ContractError.validation([
      { field: 'body', message: `header row: ${problems.join('; ')} (columns: ${COLUMNS.join(',')})` },
    ]);
  }
  return positions;
}

/** Rows in chunks of at most IMPORT_CHUNK_MAX_ROWS rows and about IMPORT_CHUNK_MAX_BYTES bytes. */
function* chunks(rows: readonly ImportRow[]): Generator<ImportRow[]> {
  let chunk: ImportRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = Buffer.byteLength(JSON.stringify(row), 'utf8');
    if (
      chunk.length > 0 &&
      (chunk.length >= IMPORT_CHUNK_MAX_ROWS || bytes + size > IMPORT_CHUNK_MAX_BYTES)
    ) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
