import {
  type ArchivingProfile,
  MAILBOXES_RESOLVE_V1,
  type MailboxesResolveReply,
  MAX_RESOLVE_PAGE_SIZE,
  PROFILE_GET_V1,
  TASK_TALLY_V1,
  type TaskTally,
  type TaskTallyRequest,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Injectable } from '@nestjs/common';

/**
 * The other services the scheduler asks, over request–reply. NOT_FOUND becomes `false`; any
 * other failure, a missing responder included (503), propagates: it must never pass as "exists".
 */
@Injectable()
export class RemoteServices {
  constructor(private readonly bus: MessageBus) {}

  async profileExists(tenantId: string, profileId: string): Promise<boolean> {
    return (await this.bus.find(PROFILE_GET_V1, { tenantId, id: profileId })) !== undefined;
  }

  /** The profile a run carries out; NOT_FOUND propagates (the run cannot start). */
  profile(tenantId: string, profileId: string): Promise<ArchivingProfile> {
    return this.bus.request(PROFILE_GET_V1, { tenantId, id: profileId });
  }

  /** One page of a directory service's enabled mailboxes (a directory may hold 100,000). */
  mailboxPage(
    tenantId: string,
    directoryServiceId: string,
    cursor: string | null,
  ): Promise<MailboxesResolveReply> {
    return this.bus.request(MAILBOXES_RESOLVE_V1, {
      tenantId,
      directoryServiceId,
      limit: MAX_RESOLVE_PAGE_SIZE,
      ...(cursor !== null && { cursor }),
    });
  }

  /** What the catalog holds of a task; TEMPORARY (`catalog_behind`) until it has ingested its events. */
  taskTally(request: TaskTallyRequest): Promise<TaskTally> {
    return this.bus.request(TASK_TALLY_V1, request);
  }
}
