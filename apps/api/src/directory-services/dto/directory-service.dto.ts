import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI only: the directory service validates the body (SPEC D3). */
export class CreateDirectoryServiceDto {
  @ApiProperty({ maxLength: 200, description: 'Unique in the tenant, case-insensitively; trimmed.' })
  name!: string;
  @ApiPropertyOptional({ maxLength: 1000 })
  description?: string;
  @ApiProperty({
    enum: ['static'],
    description:
      "`static`: its mailboxes are those assigned to it by hand (a mailbox's `directoryServiceId`) or by CSV import. " +
      'm365, google-workspace and ldap follow, with their settings next to `type`.',
  })
  type!: 'static';
}

/** OpenAPI only. The type cannot change (422). */
export class UpdateDirectoryServiceDto {
  @ApiPropertyOptional({ maxLength: 200 })
  name?: string;
  @ApiPropertyOptional({ maxLength: 1000 })
  description?: string;
  @ApiPropertyOptional({ enum: ['static'], description: 'Must equal the current type.' })
  type?: 'static';
}

export class SyncDirectoryServiceDto {
  @ApiPropertyOptional({ default: false, description: 'Report what would change without changing anything.' })
  dryRun?: boolean;
}

export class SyncResultDto {
  @ApiProperty()
  dryRun!: boolean;
  @ApiProperty({ format: 'date-time' })
  startedAt!: string;
  @ApiProperty({ format: 'date-time' })
  finishedAt!: string;
  @ApiProperty()
  created!: number;
  @ApiProperty()
  updated!: number;
  @ApiProperty()
  disabled!: number;
  @ApiProperty()
  unchanged!: number;
}

export class DirectoryServiceDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty()
  description!: string;
  @ApiProperty({ enum: ['static'] })
  type!: 'static';
  @ApiProperty({ description: 'How many mailboxes belong to it.' })
  memberCount!: number;
  @ApiPropertyOptional({ type: SyncResultDto, description: 'The last committed sync.' })
  lastSync?: SyncResultDto;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class DirectoryServicePageDto {
  @ApiProperty({ type: [DirectoryServiceDto] })
  items!: DirectoryServiceDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;
}
