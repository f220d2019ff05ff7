import { api, type Schemas } from './client';
import { json } from './problem';

/** The catalog's routes (SPEC §5 A4), through the typed client. */
export type ArchivedMessage = Schemas['ArchivedMessageDto'];
export type MessagePage = Schemas['MessagePageDto'];

export interface MessageFilters {
  readonly mailboxId?: string;
  readonly folder?: string;
  readonly q?: string;
  readonly from?: string;
  readonly to?: string;
  readonly subject?: string;
  readonly after?: string;
  readonly before?: string;
}

export function searchMessages(
  tenantId: string,
  filters: MessageFilters & { limit?: number; cursor?: string },
  signal: AbortSignal,
): Promise<MessagePage> {
  return json(
    api.GET('/api/v1/tenants/{tenantId}/messages', {
      params: { path: { tenantId }, query: filters },
      signal,
    }),
  );
}

export function getMessage(tenantId: string, id: string, signal: AbortSignal): Promise<ArchivedMessage> {
  return json(
    api.GET('/api/v1/tenants/{tenantId}/messages/{id}', { params: { path: { tenantId, id } }, signal }),
  );
}

/** The raw message (message/rfc822), downloaded with the bearer key by lib/download. */
export function rawMessagePath(tenantId: string, id: string): string {
  return `/api/v1/tenants/${encodeURIComponent(tenantId)}/messages/${encodeURIComponent(id)}/raw`;
}
