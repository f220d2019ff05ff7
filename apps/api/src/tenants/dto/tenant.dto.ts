import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsAbsentOr, MaxChars } from '@mailkeep/contracts';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateTenantDto {
  @ApiProperty({
    description: 'Unique among tenants, case-insensitively; trimmed; 1–200 characters.',
    maxLength: 200,
  })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  name!: string;
}

export class UpdateTenantDto {
  @ApiPropertyOptional({
    description: 'A new name; unique among tenants, case-insensitively.',
    maxLength: 200,
  })
  @Transform(trim)
  // Absent keeps the name; null is no name at all and is refused.
  @IsAbsentOr()
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  name?: string;
}

export class TenantDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class TenantPageDto {
  @ApiProperty({ type: [TenantDto] })
  items!: TenantDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;
}
