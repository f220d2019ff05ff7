import {
  TEXT_INDEX_REINDEX_V1,
  TEXT_INDEX_STATUS_V1,
  type TextIndexReindexRequest,
  type TextIndexStatus,
} from '@mailkeep/contracts';
import { HandleRequest } from '@mailkeep/messaging';
import { Controller } from '@nestjs/common';

import { type ReindexRow, TextIndexRepository } from './text-index.repository.js';

/** Re-index requests and text index status on the bus (issue 23); the TextIndexer does the work. */
@Controller()
export class TextIndexHandler {
  constructor(private readonly repository: TextIndexRepository) {}

  @HandleRequest(TEXT_INDEX_REINDEX_V1)
  async reindex(request: TextIndexReindexRequest): Promise<TextIndexStatus> {
    const tenantId = request.tenantId.toLowerCase();
    await this.repository.requestReindex(tenantId);
    return this.statusOf(tenantId);
  }

  @HandleRequest(TEXT_INDEX_STATUS_V1)
  status(request: TextIndexReindexRequest): Promise<TextIndexStatus> {
    return this.statusOf(request.tenantId.toLowerCase());
  }

  private async statusOf(tenantId: string): Promise<TextIndexStatus> {
    const [counts, reindex] = await Promise.all([
      this.repository.counts(tenantId),
      this.repository.findReindex(tenantId),
    ]);
    return {
      messages: counts.total,
      pending: counts.pending,
      unreadable: counts.failed,
      withUnindexedAttachments: counts.unindexed_attachments,
      reindex: reindex === undefined ? null : progressOf(reindex),
    };
  }
}

function progressOf(row: ReindexRow): NonNullable<TextIndexStatus['reindex']> {
  return {
    status: row.status === 'running' ? 'running' : 'succeeded',
    total: row.total,
    done: row.done,
    requestedAt: row.requested_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
