import {
  type ArchivedMessage,
  MESSAGE_GET_V1,
  MESSAGE_LOCATE_RAW_V1,
  MESSAGE_SEARCH_V1,
  type MessagePage,
  type MessageRawLocation,
  type MessageRef,
  type MessageSearchRequest,
} from '@mailkeep/contracts';
import { HandleRequest } from '@mailkeep/messaging';
import { Controller } from '@nestjs/common';

import { MessagesService } from './messages.service.js';

/** The catalog's message queries on the bus (A4). */
@Controller()
export class MessagesHandler {
  constructor(private readonly messages: MessagesService) {}

  @HandleRequest(MESSAGE_SEARCH_V1)
  search(request: MessageSearchRequest): Promise<MessagePage> {
    return this.messages.search(request);
  }

  @HandleRequest(MESSAGE_GET_V1)
  get(request: MessageRef): Promise<ArchivedMessage> {
    return this.messages.get(request.tenantId, request.id);
  }

  @HandleRequest(MESSAGE_LOCATE_RAW_V1)
  locateRaw(request: MessageRef): Promise<MessageRawLocation> {
    return this.messages.locateRaw(request.tenantId, request.id);
  }
}
