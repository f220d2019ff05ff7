import { ContractError, type IntegrityCheck, isUuid } from '@mailkeep/contracts';
import { Injectable } from '@nestjs/common';

import type {
  IntegrityCheckEntity,
  IntegrityFindingEntity,
  IntegritySegmentFindingEntity,
} from './integrity-check.entity.js';
import { IntegrityChecksRepository } from './integrity-checks.repository.js';
import { IntegrityRunner } from './integrity-runner.js';

/** Integrity checks as the API shows them (A4): start one for a tenant, read its progress. */
@Injectable()
export class IntegrityChecksService {
  constructor(
    private readonly checks: IntegrityChecksRepository,
    private readonly runner: IntegrityRunner,
  ) {}

  async start(tenantId: string): Promise<IntegrityCheck> {
    const tenant = tenantId.toLowerCase();
    const owner = this.runner.newOwner();
    const check = await this.checks.create(tenant, owner);
    if (!check) {
      const running = await this.checks.running(tenant);
      throw new ContractError(
        'CONFLICT',
        running
          ? `Integrity check ${running.id} of this tenant is still running`
          : 'An integrity check of this tenant is still running',
        {
          reason: 'integrity_check_running',
          ...(running && { references: [{ kind: 'integrity-check', id: running.id }] }),
        },
      );
    }
    this.runner.start(check, owner);
    return toIntegrityCheck(check, [], []);
  }

  async get(tenantId: string, id: string): Promise<IntegrityCheck> {
    const check = isUuid(id) ? await this.checks.find(tenantId.toLowerCase(), id.toLowerCase()) : null;
    if (!check) throw new ContractError('NOT_FOUND', `Integrity check ${id} not found`);
    const [findings, damagedSegments] = await Promise.all([
      this.checks.findings(check.id),
      this.checks.damagedSegments(check.id),
    ]);
    return toIntegrityCheck(check, findings, damagedSegments);
  }
}

function toIntegrityCheck(
  check: IntegrityCheckEntity,
  findings: readonly IntegrityFindingEntity[],
  damagedSegments: readonly IntegritySegmentFindingEntity[],
): IntegrityCheck {
  return {
    id: check.id,
    status: check.status,
    checked: check.checked,
    total: check.total,
    mismatches: findings
      .filter((finding) => finding.kind === 'mismatch')
      .map((finding) => ({
        sha256: finding.sha256,
        actualSha256: finding.actualSha256 ?? '',
        expectedSize: Number(finding.expectedSize),
        actualSize: Number(finding.actualSize ?? 0),
      })),
    missing: findings
      .filter((finding) => finding.kind === 'missing')
      .map((finding) => ({ sha256: finding.sha256, expectedSize: Number(finding.expectedSize) })),
    damagedSegments: damagedSegments.map(({ segmentId, problem }) => ({ segmentId, problem })),
    mismatchCount: check.mismatchCount,
    missingCount: check.missingCount,
    damagedSegmentCount: check.damagedSegmentCount,
    startedAt: check.startedAt.toISOString(),
    finishedAt: check.finishedAt?.toISOString() ?? null,
    error: check.error,
  };
}
