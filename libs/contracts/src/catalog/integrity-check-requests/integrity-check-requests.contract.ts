import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { defineRequest } from '../../core/contract.js';

/** `succeeded`: every blob was checked (findings or not); `failed`: the check could not finish. */
export const INTEGRITY_CHECK_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type IntegrityCheckStatus = (typeof INTEGRITY_CHECK_STATUSES)[number];

/**
 * Findings listed in a check's reply, per kind; the counts have them all. A thousand keeps the
 * reply near 250 KB, far below NATS's 1 MB payload limit, whatever a damaged store holds.
 */
export const INTEGRITY_FINDINGS_SHOWN = 1_000;

/** Longest failure reason kept: the reason, not a stack. */
export const INTEGRITY_CHECK_ERROR_LENGTH = 1_000;

/** A blob whose bytes no longer hash to its address. */
export class IntegrityMismatch {
  /** The blob's address (the hash recorded when it was archived). */
  @Matches(/^[0-9a-f]{64}$/)
  sha256!: string;
  /** SHA-256 of the bytes read back now. */
  @Matches(/^[0-9a-f]{64}$/)
  actualSha256!: string;
  /** Size recorded in the catalog. */
  @IsInt()
  @Min(0)
  expectedSize!: number;
  /** Bytes read back now. */
  @IsInt()
  @Min(0)
  actualSize!: number;
}

/** A blob the catalog refers to that the store no longer has. */
export class IntegrityMissingBlob {
  /** The blob's address. */
  @Matches(/^[0-9a-f]{64}$/)
  sha256!: string;
  /** Size recorded in the catalog. */
  @IsInt()
  @Min(0)
  expectedSize!: number;
}

/**
 * What is wrong with a segment whose messages all still hash (decision 0020): `trailer`, its
 * trailer or index cannot be read; `index`, its index does not list a message where the catalog
 * places it; `checksum`, its bytes no longer match its checksum (damage outside the catalog's
 * messages). A segment that lost a message's bytes is reported through that message instead.
 */
export const SEGMENT_PROBLEMS = ['trailer', 'index', 'checksum'] as const;
export type SegmentProblem = (typeof SEGMENT_PROBLEMS)[number];

/** A segment damaged outside the messages the catalog places in it: no archived message is hurt yet. */
export class IntegrityDamagedSegment {
  /** The segment's id (as in a message's location). */
  @IsUUID()
  segmentId!: string;
  @IsIn(SEGMENT_PROBLEMS)
  problem!: SegmentProblem;
}

/** A4 integrity check of one tenant: every distinct blob its catalog refers to, re-hashed. */
export class IntegrityCheck {
  /** The check's id. */
  @IsUUID()
  id!: string;
  /** running, succeeded (all blobs checked) or failed (could not finish; see `error`). */
  @IsIn(INTEGRITY_CHECK_STATUSES)
  status!: IntegrityCheckStatus;
  /** Distinct blobs checked so far. */
  @IsInt()
  @Min(0)
  checked!: number;
  /** Distinct blobs of the tenant when the check started (blobs archived later may be checked too). */
  @IsInt()
  @Min(0)
  total!: number;
  /** The first mismatches found, by hash. */
  @IsArray()
  @ArrayMaxSize(INTEGRITY_FINDINGS_SHOWN)
  @ValidateNested({ each: true })
  @Type(() => IntegrityMismatch)
  mismatches!: IntegrityMismatch[];
  /** The first missing blobs found, by hash. */
  @IsArray()
  @ArrayMaxSize(INTEGRITY_FINDINGS_SHOWN)
  @ValidateNested({ each: true })
  @Type(() => IntegrityMissingBlob)
  missing!: IntegrityMissingBlob[];
  /** The first damaged segments found, by id. */
  @IsArray()
  @ArrayMaxSize(INTEGRITY_FINDINGS_SHOWN)
  @ValidateNested({ each: true })
  @Type(() => IntegrityDamagedSegment)
  damagedSegments!: IntegrityDamagedSegment[];
  /** All mismatches found so far. */
  @IsInt()
  @Min(0)
  mismatchCount!: number;
  /** All missing blobs found so far. */
  @IsInt()
  @Min(0)
  missingCount!: number;
  /** All damaged segments found so far. */
  @IsInt()
  @Min(0)
  damagedSegmentCount!: number;
  /** ISO-8601 UTC. */
  @IsISO8601()
  startedAt!: string;
  /** ISO-8601 UTC; null while running. */
  @IsOptional()
  @IsISO8601()
  finishedAt!: string | null;
  /** Why a failed check could not finish; null otherwise. */
  @IsOptional()
  @IsString()
  @MaxLength(INTEGRITY_CHECK_ERROR_LENGTH)
  error!: string | null;
}

export class IntegrityCheckStartRequest {
  /** The tenant whose blobs are checked. */
  @IsUUID()
  tenantId!: string;
}

export class IntegrityCheckRef {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The check id as given by the caller (unknown ids and other tenants' ids are NOT_FOUND). */
  @IsString()
  @MaxLength(200)
  id!: string;
}

/**
 * Starts a check in the background and answers it as `running`. CONFLICT (reason
 * `integrity_check_running`, naming it) while the tenant has a check running.
 */
export const INTEGRITY_CHECK_START_V1 = defineRequest({
  subject: 'catalog.req.integrity-check.start.v1',
  request: IntegrityCheckStartRequest,
  reply: IntegrityCheck,
});

/** One check with its progress and findings; NOT_FOUND for an unknown id or another tenant's. */
export const INTEGRITY_CHECK_GET_V1 = defineRequest({
  subject: 'catalog.req.integrity-check.get.v1',
  request: IntegrityCheckRef,
  reply: IntegrityCheck,
});
