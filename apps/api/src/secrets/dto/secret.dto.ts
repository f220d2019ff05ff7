import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * OpenAPI documentation of the secret routes (SPEC §5). These classes document only: the bodies
 * are validated by the secrets service against its contracts, so that the field names of its
 * errors are exactly these (the api forwards the body unchanged, adding the path's tenant).
 */

const SECRET_TYPES = ['basic', 'certificate', 'client-secret', 'google-service-account'];
const WRITE_ONLY = 'Write-only: stored encrypted, never returned.';

class SecretCreateCommon {
  @ApiProperty({ description: 'Unique per tenant, case-insensitively; trimmed.', maxLength: 200 })
  name!: string;
  @ApiPropertyOptional({ maxLength: 2000 })
  description?: string;
}

export class BasicSecretCreateDto extends SecretCreateCommon {
  @ApiProperty({ enum: ['basic'] })
  type!: 'basic';
  @ApiProperty({ maxLength: 500 })
  username!: string;
  @ApiProperty({ maxLength: 4096, description: WRITE_ONLY, writeOnly: true })
  password!: string;
}

export class GenerateCertificateDto {
  @ApiProperty({
    example: 'CN=archive.example.com,O=Acme',
    description: 'CN required; CN, O, OU, C, ST, L, E.',
  })
  subject!: string;
  @ApiProperty({ minimum: 1, maximum: 3650 })
  validityDays!: number;
}

export class GeneratedCertificateSecretCreateDto extends SecretCreateCommon {
  @ApiProperty({ enum: ['certificate'] })
  type!: 'certificate';
  @ApiProperty({ type: GenerateCertificateDto, description: 'A self-signed RSA-2048 certificate (SHA-256).' })
  generate!: GenerateCertificateDto;
}

export class PemCertificateSecretCreateDto extends SecretCreateCommon {
  @ApiProperty({ enum: ['certificate'] })
  type!: 'certificate';
  @ApiProperty({ description: 'The certificate, PEM.' })
  certificatePem!: string;
  @ApiProperty({
    description: `Its private key, PEM (may be encrypted with password). ${WRITE_ONLY}`,
    writeOnly: true,
  })
  privateKeyPem!: string;
  @ApiPropertyOptional({
    description: `Password of an encrypted private key. ${WRITE_ONLY}`,
    writeOnly: true,
  })
  password?: string;
}

export class Pkcs12CertificateSecretCreateDto extends SecretCreateCommon {
  @ApiProperty({ enum: ['certificate'] })
  type!: 'certificate';
  @ApiProperty({ format: 'byte', description: `A PKCS#12 archive, base64. ${WRITE_ONLY}`, writeOnly: true })
  pkcs12!: string;
  @ApiPropertyOptional({ description: `Its password. ${WRITE_ONLY}`, writeOnly: true })
  password?: string;
}

export class ClientSecretCreateDto extends SecretCreateCommon {
  @ApiProperty({ enum: ['client-secret'] })
  type!: 'client-secret';
  @ApiProperty({ maxLength: 4096, description: WRITE_ONLY, writeOnly: true })
  clientSecret!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Flagged as expiring soon 30 days before.' })
  expiresAt?: string;
}

export class ServiceAccountKeyDto {
  @ApiProperty({ enum: ['service_account'] })
  type!: 'service_account';
  @ApiProperty({ format: 'email' })
  client_email!: string;
  @ApiProperty({ description: `PEM. ${WRITE_ONLY}`, writeOnly: true })
  private_key!: string;
  @ApiProperty({ format: 'uri', example: 'https://oauth2.googleapis.com/token' })
  token_uri!: string;
}

export class GoogleServiceAccountSecretCreateDto extends SecretCreateCommon {
  @ApiProperty({ enum: ['google-service-account'] })
  type!: 'google-service-account';
  @ApiProperty({
    type: ServiceAccountKeyDto,
    description: `The JSON key as downloaded from Google (other fields kept as they are). ${WRITE_ONLY}`,
    writeOnly: true,
  })
  serviceAccountKey!: ServiceAccountKeyDto;
}

export class UpdateSecretDto {
  @ApiPropertyOptional({ maxLength: 200 })
  name?: string;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true })
  description?: string | null;
  @ApiPropertyOptional({ enum: SECRET_TYPES, description: 'Must equal the stored type (422 otherwise).' })
  type?: string;
  @ApiPropertyOptional({ description: 'basic' })
  username?: string;
  @ApiPropertyOptional({
    description: `basic; certificate (of pkcs12 or privateKeyPem). ${WRITE_ONLY}`,
    writeOnly: true,
  })
  password?: string;
  @ApiPropertyOptional({
    type: GenerateCertificateDto,
    description: 'certificate: replace by a new self-signed one',
  })
  generate?: GenerateCertificateDto;
  @ApiPropertyOptional({ description: 'certificate' })
  certificatePem?: string;
  @ApiPropertyOptional({ description: `certificate. ${WRITE_ONLY}`, writeOnly: true })
  privateKeyPem?: string;
  @ApiPropertyOptional({ format: 'byte', description: `certificate. ${WRITE_ONLY}`, writeOnly: true })
  pkcs12?: string;
  @ApiPropertyOptional({ description: `client-secret. ${WRITE_ONLY}`, writeOnly: true })
  clientSecret?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'client-secret' })
  expiresAt?: string;
  @ApiPropertyOptional({ type: ServiceAccountKeyDto, description: `google-service-account. ${WRITE_ONLY}` })
  serviceAccountKey?: ServiceAccountKeyDto;
}

export class CertificateSummaryDto {
  @ApiProperty({ example: 'CN=archive.example.com, O=Acme' })
  subject!: string;
  @ApiProperty({ description: 'SHA-1 of the DER certificate, lowercase hex.', pattern: '^[0-9a-f]{40}$' })
  thumbprint!: string;
  @ApiProperty({ format: 'date-time' })
  notBefore!: string;
  @ApiProperty({ format: 'date-time' })
  notAfter!: string;
}

export class ReferenceDto {
  @ApiProperty({ example: 'archiving-profile' })
  kind!: string;
  @ApiProperty()
  id!: string;
  @ApiPropertyOptional()
  name?: string;
}

export class SecretDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ type: String, nullable: true })
  description!: string | null;
  @ApiProperty({ enum: SECRET_TYPES })
  type!: string;
  @ApiPropertyOptional({ description: 'basic' })
  username?: string;
  @ApiPropertyOptional({ description: 'google-service-account' })
  clientEmail?: string;
  @ApiPropertyOptional({ type: CertificateSummaryDto, description: 'certificate' })
  certificate?: CertificateSummaryDto;
  @ApiPropertyOptional({
    format: 'date-time',
    description: "A certificate's notAfter or a client secret's expiry.",
  })
  expiresAt?: string;
  @ApiProperty({ description: 'expiresAt is within 30 days (or past).' })
  expiresSoon!: boolean;
  @ApiProperty({ type: [ReferenceDto], description: 'Profiles and directory services that use it.' })
  usedBy!: ReferenceDto[];
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class SecretPageDto {
  @ApiProperty({ type: [SecretDto] })
  items!: SecretDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;
}

export const SECRET_CREATE_BODIES = [
  BasicSecretCreateDto,
  GeneratedCertificateSecretCreateDto,
  PemCertificateSecretCreateDto,
  Pkcs12CertificateSecretCreateDto,
  ClientSecretCreateDto,
  GoogleServiceAccountSecretCreateDto,
] as const;
