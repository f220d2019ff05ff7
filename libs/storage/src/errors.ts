import { ContractError } from '@mailkeep/contracts';

/** The blob is not in the tenant's store (code NOT_FOUND, so it crosses the bus unchanged). */
export class BlobNotFoundError extends ContractError {
  constructor(
    readonly tenantId: string,
    readonly sha256: string,
  ) {
    super('NOT_FOUND', `Blob ${sha256} not found for tenant ${tenantId}`, { reason: 'blob_not_found' });
    this.name = 'BlobNotFoundError';
  }
}

/** A tenant id or hash that cannot name a blob (code VALIDATION); raised before any I/O. */
export class InvalidBlobAddressError extends ContractError {
  constructor(field: 'tenantId' | 'sha256' | 'segmentId', message: string) {
    super('VALIDATION', `Invalid blob address: ${field} ${message}`, {
      reason: 'invalid_blob_address',
      fields: [{ field, message }],
    });
    this.name = 'InvalidBlobAddressError';
  }
}

/** The segment a location names is not in the tenant's store (code NOT_FOUND). */
export class SegmentNotFoundError extends ContractError {
  constructor(
    readonly tenantId: string,
    readonly segmentId: string,
  ) {
    super('NOT_FOUND', `Segment ${segmentId} not found for tenant ${tenantId}`, { reason: 'blob_not_found' });
    this.name = 'SegmentNotFoundError';
  }
}
