import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { ObjectReference } from '../../platform/find-references/find-references.contract.js';

/** The kinds of secret (SPEC S1). Frozen wire names. */
export const SECRET_TYPES = ['basic', 'certificate', 'client-secret', 'google-service-account'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

/** The public part of a certificate secret: never the private key (SPEC S2). */
export class CertificateSummary {
  /** The certificate's subject as an RFC 4514-like string, e.g. `CN=archive.example.com`. */
  @IsString()
  @MaxLength(1000)
  subject!: string;
  /** SHA-1 of the DER encoding, lowercase hex (40 characters). */
  @Matches(/^[0-9a-f]{40}$/)
  thumbprint!: string;
  /** Start of validity, ISO-8601 UTC. */
  @IsISO8601()
  notBefore!: string;
  /** End of validity, ISO-8601 UTC. */
  @IsISO8601()
  notAfter!: string;
}

/** A secret as shown: metadata only, never a sensitive value (SPEC S2, §5). */
export class SecretView {
  /** The secret's id (UUID). */
  @IsUUID()
  id!: string;
  /** Unique per tenant, case-insensitively. */
  @IsString()
  @MaxLength(200)
  name!: string;
  /** Free text; null when none was given. */
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(2000)
  description!: string | null;
  /** The immutable type. */
  @IsIn(SECRET_TYPES)
  type!: SecretType;
  /** `basic` only: the user name (not sensitive). */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  username?: string;
  /** `google-service-account` only: the service account's client email. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  clientEmail?: string;
  /** `certificate` only: the public certificate's summary. */
  @IsOptional()
  @ValidateNested()
  @Type(() => CertificateSummary)
  certificate?: CertificateSummary;
  /** When the secret stops working: a certificate's notAfter or a client secret's expiry. */
  @IsOptional()
  @IsISO8601()
  expiresAt?: string;
  /** True when `expiresAt` is within 30 days (or past) (SPEC S8). */
  @IsBoolean()
  expiresSoon!: boolean;
  /** Objects that reference the secret, as their owning services report them. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ObjectReference)
  usedBy!: ObjectReference[];
  /** ISO-8601 UTC. */
  @IsISO8601()
  createdAt!: string;
  /** ISO-8601 UTC. */
  @IsISO8601()
  updatedAt!: string;
}
