import {
  MAILBOX_CREATE_V1,
  MAILBOX_DELETE_V1,
  MAILBOX_DESCRIBE_V1,
  MAILBOX_GET_V1,
  MAILBOX_LIST_V1,
  MAILBOX_UPDATE_V1,
  type MailboxCreateRequest,
  type MailboxDescription,
  MAILBOXES_IMPORT_V1,
  MAILBOXES_RESOLVE_V1,
  type MailboxesImportReply,
  type MailboxesImportRequest,
  type MailboxesResolveReply,
  type MailboxesResolveRequest,
  type MailboxListRequest,
  type MailboxPage,
  type MailboxPayload,
  type MailboxRef,
  type MailboxUpdateRequest,
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

  @HandleRequest(MAILBOX_CREATE_V1)
  create(request: MailboxCreateRequest): Promise<MailboxPayload> {
    return this.mailboxes.create(request);
  }

  @HandleRequest(MAILBOX_GET_V1)
  get({ tenantId, id }: MailboxRef): Promise<MailboxPayload> {
    return this.mailboxes.get(tenantId, id);
  }

  @HandleRequest(MAILBOX_DESCRIBE_V1)
  describe({ tenantId, id }: MailboxRef): Promise<MailboxDescription> {
    return this.mailboxes.describe(tenantId, id);
  }

  @HandleRequest(MAILBOX_LIST_V1)
  list(request: MailboxListRequest): Promise<MailboxPage> {
    return this.mailboxes.list(request);
  }

  @HandleRequest(MAILBOX_UPDATE_V1)
  update(request: MailboxUpdateRequest): Promise<MailboxPayload> {
    return this.mailboxes.update(request);
  }

  @HandleRequest(MAILBOX_DELETE_V1)
  delete({ tenantId, id }: MailboxRef): Promise<{ id: string }> {
    return this.mailboxes.delete(tenantId, id);
  }

  @HandleRequest(MAILBOXES_IMPORT_V1)
  import(request: MailboxesImportRequest): Promise<MailboxesImportReply> {
    return this.imports.import(request);
  }

  @HandleRequest(MAILBOXES_RESOLVE_V1)
  resolve(request: MailboxesResolveRequest): Promise<MailboxesResolveReply> {
    return this.mailboxes.resolve(request);
  }
}
