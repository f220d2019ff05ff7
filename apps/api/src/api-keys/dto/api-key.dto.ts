import { ApiProperty } from '@nestjs/swagger';
import { MaxChars } from '@mailkeep/contracts';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString } from 'class-validator';

import { API_KEY_ROLES, type ApiKeyRole } from '../api-key.entity.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export const TENANT_KEY_ROLES = ['admin', 'auditor'] as const;

export class CreateTenantApiKeyDto {
  @ApiProperty({ maxLength: 200, description: 'What the key is for, e.g. "billing export".' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  name!: string;

  @ApiProperty({
    enum: TENANT_KEY_ROLES,
    description: '`admin` reads and writes the tenant; `auditor` only reads.',
  })
  @IsIn(TENANT_KEY_ROLES)
  role!: (typeof TENANT_KEY_ROLES)[number];
}

export class CreateOperatorApiKeyDto {
  @ApiProperty({ maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  name!: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ enum: API_KEY_ROLES })
  role!: ApiKeyRole;
  @ApiProperty({ description: 'The public beginning of the key, to tell keys apart.' })
  prefix!: string;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself. Shown in this response only: store it now.' })
  key!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] })
  items!: ApiKeyDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: null;
}
