import {
  type CreateMailboxRequest,
  DIRECTORY_MAILBOX_CREATE_V1,
  DIRECTORY_MAILBOX_DELETE_V1,
  DIRECTORY_MAILBOX_DESCRIBE_V1,
  DIRECTORY_MAILBOX_GET_V1,
  DIRECTORY_MAILBOX_LIST_V1,
  DIRECTORY_MAILBOX_UPDATE_V1,
  DIRECTORY_MAILBOXES_IMPORT_V1,
  DIRECTORY_MAILBOXES_RESOLVE_V1,
  type ImportMailboxesReply,
  type ImportMailboxesRequest,
  type ListMailboxesRequest,
  type MailboxDescription,
  type MailboxPage,
  type MailboxPayload,
  type MailboxRef,
  type ResolveMailboxesReply,
  type ResolveMailboxesRequest,
  type UpdateMailboxRequest,
} from '@mailkeep/contracts';
import { HandleRequest } from '@mailkeep/messaging';
import { Controller } from '@nestjs/common';

import { MailboxImportService } from './mailbox-import.service.js';
import { MailboxesService } from './mailboxes.service.js';

/** NATS endpoints of mailboxes; validated payloads in, the services' answers out. */
@Controller()
export class MailboxesHandler {
  constructor(
    private readonly mailboxes: MailboxesService,
    private readonly imports: MailboxImportService,
  ) {}

  @HandleRequest(DIRECTORY_MAILBOX_CREATE_V1)
  create(request: CreateMailboxRequest): Promise<MailboxPayload> {
    return this.mailboxes.create(request);
  }

  @HandleRequest(DIRECTORY_MAILBOX_GET_V1)
  get({ tenantId, id }: MailboxRef): Promise<MailboxPayload> {
    return this.mailboxes.get(tenantId, id);
  }

  @HandleRequest(DIRECTORY_MAILBOX_DESCRIBE_V1)
  describe({ tenantId, id }: MailboxRef): Promise<MailboxDescription> {
    return this.mailboxes.describe(tenantId, id);
  }

  @HandleRequest(DIRECTORY_MAILBOX_LIST_V1)
  list(request: ListMailboxesRequest): Promise<MailboxPage> {
    return this.mailboxes.list(request);
  }

  @HandleRequest(DIRECTORY_MAILBOX_UPDATE_V1)
  update(request: UpdateMailboxRequest): Promise<MailboxPayload> {
    return this.mailboxes.update(request);
  }

  @HandleRequest(DIRECTORY_MAILBOX_DELETE_V1)
  delete({ tenantId, id }: MailboxRef): Promise<{ id: string }> {
    return this.mailboxes.delete(tenantId, id);
  }

  @HandleRequest(DIRECTORY_MAILBOXES_IMPORT_V1)
  import(request: ImportMailboxesRequest): Promise<ImportMailboxesReply> {
    return this.imports.import(request);
  }

  @HandleRequest(DIRECTORY_MAILBOXES_RESOLVE_V1)
  resolve(request: ResolveMailboxesRequest): Promise<ResolveMailboxesReply> {
    return this.mailboxes.resolve(request);
  }
}
