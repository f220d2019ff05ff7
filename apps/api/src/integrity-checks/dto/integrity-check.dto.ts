import { INTEGRITY_CHECK_STATUSES, INTEGRITY_FINDINGS_SHOWN, SEGMENT_PROBLEMS } from '@mailkeep/contracts';
import { ApiProperty } from '@nestjs/swagger';

class IntegrityMismatchDto {
  @ApiProperty({ description: 'The blob address (hash recorded at archive time).' }) sha256!: string;
  @ApiProperty({ description: 'SHA-256 of the bytes read back now.' }) actualSha256!: string;
  @ApiProperty() expectedSize!: number;
  @ApiProperty() actualSize!: number;
}

class IntegrityMissingBlobDto {
  @ApiProperty() sha256!: string;
  @ApiProperty() expectedSize!: number;
}

class IntegrityDamagedSegmentDto {
  @ApiProperty({ format: 'uuid', description: 'The segment (as in a message location).' }) segmentId!: string;
  @ApiProperty({
    enum: SEGMENT_PROBLEMS,
    description:
      '`trailer`: its trailer or index cannot be read; `index`: its index does not list a message where the ' +
      'catalog places it; `checksum`: its bytes fail its checksum outside every archived message.',
  })
  problem!: string;
}

/** SPEC §5 "Integrity check". */
export class IntegrityCheckDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    enum: INTEGRITY_CHECK_STATUSES,
    description:
      '`succeeded`: every blob was checked (findings or not); `failed`: it could not finish (`error`).',
  })
  status!: string;
  @ApiProperty({ description: 'Distinct blobs checked so far.' }) checked!: number;
  @ApiProperty({ description: 'Distinct blobs of the tenant when the check started.' }) total!: number;
  @ApiProperty({
    type: [IntegrityMismatchDto],
    description: `The first ${INTEGRITY_FINDINGS_SHOWN} by hash.`,
  })
  mismatches!: IntegrityMismatchDto[];
  @ApiProperty({
    type: [IntegrityMissingBlobDto],
    description: `The first ${INTEGRITY_FINDINGS_SHOWN} by hash.`,
  })
  missing!: IntegrityMissingBlobDto[];
  @ApiProperty({
    type: [IntegrityDamagedSegmentDto],
    description:
      `Segments damaged while every archived message in them still hashes (a damaged message is a mismatch); ` +
      `the first ${INTEGRITY_FINDINGS_SHOWN} by id.`,
  })
  damagedSegments!: IntegrityDamagedSegmentDto[];
  @ApiProperty() mismatchCount!: number;
  @ApiProperty() missingCount!: number;
  @ApiProperty() damagedSegmentCount!: number;
  @ApiProperty({ description: 'ISO-8601 UTC.' }) startedAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}
