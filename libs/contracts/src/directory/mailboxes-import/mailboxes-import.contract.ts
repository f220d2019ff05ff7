import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { defineRequest } from '../../core/contract.js';

/**
 * Rows per import request. NATS refuses payloads above 1 MB by default; 1,000 rows of ordinary
 * size are about 100 KB, and the sender also caps a chunk's bytes (IMPORT_CHUNK_MAX_BYTES).
 */
export const IMPORT_CHUNK_MAX_ROWS = 1_000;
/** Bytes of rows per request: well under NATS's 1 MB default, leaving room for headers. */
export const IMPORT_CHUNK_MAX_BYTES = 600_000;
/** Longest raw cell accepted per column; longer cells are row errors at the edge. */
export const IMPORT_CELL_MAX_LENGTH = { primaryAddress: 320, displayName: 1_000, secondaryAddresses: 40_000 };

export class ImportRow {
  /** The record's number in the file, the header being 1 (as a spreadsheet numbers rows). */
  @IsInt()
  @Min(1)
  row!: number;
  /** The primary address as written. */
  @IsString()
  @MaxLength(IMPORT_CELL_MAX_LENGTH.primaryAddress)
  primaryAddress!: string;
  /** The display name as written (may be empty). */
  @IsString()
  @MaxLength(IMPORT_CELL_MAX_LENGTH.displayName)
  displayName!: string;
  /** Secondary addresses separated by `;` (may be empty). */
  @IsString()
  @MaxLength(IMPORT_CELL_MAX_LENGTH.secondaryAddresses)
  secondaryAddresses!: string;
}

export class MailboxesImportRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** A static directory service of the tenant to assign every imported mailbox to. */
  @IsOptional()
  @IsUUID()
  directoryServiceId?: string;
  /** One chunk of the file's rows. */
  @IsArray()
  @ArrayMaxSize(IMPORT_CHUNK_MAX_ROWS)
  @ValidateNested({ each: true })
  @Type(() => ImportRow)
  rows!: ImportRow[];
}

export class ImportRowError {
  /** The row's number as sent. */
  @IsInt()
  @Min(0)
  row!: number;
  /** Why the row was not imported. */
  @IsString()
  @MaxLength(2000)
  message!: string;
}

export class MailboxesImportReply {
  /** Mailboxes created. */
  @IsInt()
  @Min(0)
  created!: number;
  /** Existing mailboxes (same primary address) changed. */
  @IsInt()
  @Min(0)
  updated!: number;
  /** Existing mailboxes already as the row describes them. */
  @IsInt()
  @Min(0)
  unchanged!: number;
  /** Rows not imported; the other rows were. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ImportRowError)
  errors!: ImportRowError[];
}

/**
 * Imports a chunk of CSV rows, idempotent by primary address; bad rows are reported, good rows
 * kept. NOT_FOUND for an unknown directory service, RULE_VIOLATION for one that is not static.
 */
export const MAILBOXES_IMPORT_V1 = defineRequest({
  subject: 'directory.req.mailboxes.import.v1',
  request: MailboxesImportRequest,
  reply: MailboxesImportReply,
});
