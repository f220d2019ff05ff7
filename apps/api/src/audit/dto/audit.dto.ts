import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

import { AUDIT_OUTCOMES, type AuditOutcome } from '../audit-entry.entity.js';

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'Exact action, e.g. `tenant.create`.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES)
  outcome?: AuditOutcome;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(50)
  objectType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  objectId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorApiKeyId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries at or after this time.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries before this time.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class AuditActorDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  apiKeyId!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['operator', 'admin', 'auditor'] })
  role!: string | null;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ description: 'Position in the chain, from 1.' })
  seq!: number;
  @ApiProperty({ format: 'date-time' })
  at!: string;
  @ApiProperty({ type: AuditActorDto })
  actor!: AuditActorDto;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  tenantId!: string | null;
  @ApiProperty()
  action!: string;
  @ApiProperty()
  objectType!: string;
  @ApiProperty({ type: String, nullable: true })
  objectId!: string | null;
  @ApiProperty({ enum: AUDIT_OUTCOMES })
  outcome!: AuditOutcome;
  @ApiProperty({ description: 'The HTTP status the caller got.' })
  status!: number;
  @ApiProperty()
  requestId!: string;
  @ApiProperty()
  hash!: string;
  @ApiProperty({ type: String, nullable: true })
  previousHash!: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items!: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class AuditVerificationDto {
  @ApiProperty()
  valid!: boolean;
  @ApiProperty({ description: 'Entries verified before the first broken one (all of them when valid).' })
  checked!: number;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The first entry whose hash, link or position does not fit.',
  })
  firstBrokenEntryId?: string;
  @ApiPropertyOptional({
    enum: ['entry-altered', 'truncated', 'anchor-missing', 'anchor-forged'],
    description:
      'Why the chain does not verify: an entry was changed, inserted or removed (`entry-altered`); the newest entries are gone (`truncated`: the chain ends before the head anchored outside PostgreSQL); the anchor itself is gone or was not written with the audit key.',
  })
  problem?: string;
}
