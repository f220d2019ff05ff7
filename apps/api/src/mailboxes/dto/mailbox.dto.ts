import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

import { ListQueryDto } from '../../http/dto/list-query.dto.js';

const ADDRESS =
  'A valid address local@domain (RFC 5321/6531: internationalised local parts and domains accepted; ' +
  'the domain is stored in lower-case ASCII). Unique in the tenant across primary and secondary addresses, case-insensitively.';

/** OpenAPI only: the directory service validates the body (SPEC D1). */
export class CreateMailboxDto {
  @ApiProperty({ description: ADDRESS, example: 'ada@example.com' })
  primaryAddress!: string;
  @ApiPropertyOptional({ type: [String], description: `Each: ${ADDRESS}`, maxItems: 100 })
  secondaryAddresses?: string[];
  @ApiPropertyOptional({ maxLength: 256 })
  displayName?: string;
  @ApiPropertyOptional({ default: true })
  enabled?: boolean;
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'Assigns the mailbox to a static directory service of the tenant (its membership).',
  })
  directoryServiceId?: string | null;
}

/** OpenAPI only. On a synced mailbox (origin `directory`) only `secondaryAddresses` may change (422). */
export class UpdateMailboxDto {
  @ApiPropertyOptional({ description: ADDRESS })
  primaryAddress?: string;
  @ApiPropertyOptional({ type: [String], description: 'Replaces the secondary addresses.' })
  secondaryAddresses?: string[];
  @ApiPropertyOptional({ maxLength: 256 })
  displayName?: string;
  @ApiPropertyOptional()
  enabled?: boolean;
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'A static directory service, or null to unassign.',
  })
  directoryServiceId?: string | null;
}

export class MailboxDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  primaryAddress!: string;
  @ApiProperty({ type: [String] })
  secondaryAddresses!: string[];
  @ApiProperty()
  displayName!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  directoryServiceId!: string | null;
  @ApiProperty()
  enabled!: boolean;
  @ApiProperty({ enum: ['manual', 'directory'] })
  origin!: 'manual' | 'directory';
}

export class MailboxPageDto {
  @ApiProperty({ type: [MailboxDto] })
  items!: MailboxDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;
}

export class MailboxListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the members of this directory service.' })
  @IsOptional()
  @IsUUID()
  directoryServiceId?: string;
}

export class MailboxImportQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Assign every imported mailbox to this static directory service.',
  })
  @IsOptional()
  @IsUUID()
  directoryServiceId?: string;
}

export class ImportRowErrorDto {
  @ApiProperty({ description: 'The row in the file, the header being row 1 (as a spreadsheet numbers it).' })
  row!: number;
  @ApiProperty()
  message!: string;
}

export class MailboxImportResultDto {
  @ApiProperty()
  created!: number;
  @ApiProperty()
  updated!: number;
  @ApiProperty()
  unchanged!: number;
  @ApiProperty({ type: [ImportRowErrorDto] })
  errors!: ImportRowErrorDto[];
}
