import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ArchivingProfile } from '@mailkeep/contracts';
import { IsOptional, IsString, MaxLength } from 'class-validator';

import { profileSchemaRef } from './profile-schemas.js';

export class ArchivingProfilePageDto {
  @ApiProperty({
    type: 'array',
    items: profileSchemaRef('view'),
    description: 'Each item is the view of its type.',
  })
  items!: ArchivingProfile[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class TestSavedProfileDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Multiple mode: the mailbox of the directory service to test (required there).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  mailboxId?: string;
}

class TestConnectionStepDto {
  @ApiProperty()
  name!: string;
  @ApiProperty({ enum: ['ok', 'failed', 'skipped'] })
  status!: string;
  @ApiProperty()
  durationMs!: number;
  @ApiProperty()
  detail!: string;
}

class TestConnectionErrorDto {
  @ApiProperty({
    enum: [
      'dns',
      'network',
      'tls',
      'authentication',
      'authorization',
      'throttled',
      'timeout',
      'protocol',
      'configuration',
    ],
  })
  category!: string;
  @ApiProperty()
  message!: string;
  @ApiProperty({ description: "The mail service's own technical message." })
  serverMessage!: string;
}

export class TestConnectionResultDto {
  @ApiProperty()
  success!: boolean;
  @ApiProperty()
  durationMs!: number;
  @ApiProperty({ type: [TestConnectionStepDto] })
  steps!: TestConnectionStepDto[];
  @ApiPropertyOptional({ type: TestConnectionErrorDto })
  error?: TestConnectionErrorDto;
  @ApiProperty({ description: 'Plain text for "Copy to clipboard".' })
  transcript!: string;
}
