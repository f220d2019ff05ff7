import { api, type Schemas } from './client';
import { json } from './problem';

/** The catalog's routes (SPEC §5 A4), through the typed client. */
export type ArchivedMessage = Schemas['ArchivedMessageDto'];
export type MessagePage = Schemas['MessagePageDto'];
export type MessageAttachment = Schemas['MessageAttachmentDto'];

export interface MessageFilters {
  readonly mailboxId?: string;
  readonly folder?: string;
  readonly q?: string;
  readonly from?: string;
  readonly to?: string;
  readonly subject?: string;
  readonly after?: string;
  readonly before?: string;
  readonly unindexedAttachments?: boolean;
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

/** One attachment of a message, decoded, downloaded with the bearer key by lib/download. */
export function attachmentPath(tenantId: string, id: string, part: number): string {
  return `/api/v1/tenants/${encodeURIComponent(tenantId)}/messages/${encodeURIComponent(id)}/attachments/${part}`;
}

/** A snippet's parts: the API escapes the text and wraps matched words in <mark>…</mark>. */
export function snippetParts(snippet: string): { offset: number; text: string; match: boolean }[] {
  let offset = 0;
  return snippet
    .split(/(<mark>[\s\S]*?<\/mark>)/)
    .filter((part) => part !== '')
    .map((part) => {
      const match = part.startsWith('<mark>') && part.endsWith('</mark>');
      const entry = { offset, text: unescapeHtml(match ? part.slice(6, -7) : part), match };
      offset += part.length;
      return entry;
    });
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
