import type { Option } from '../components/RemoteSelect';
import { api, type Schemas } from './client';
import { json } from './problem';

/** One page is what a select shows; a person narrows it down by typing. */
const OPTIONS_PAGE = 50;
/** The API's largest page (libs/persistence MAX_PAGE_SIZE), for lists read whole. */
export const MAX_PAGE = 200;

const SECRET_TYPE_LABELS: Record<Schemas['SecretDto']['type'], string> = {
  basic: 'user name and password',
  certificate: 'certificate',
  'client-secret': 'client secret',
  'google-service-account': 'Google service account',
};

export function secretTypeLabel(type: Schemas['SecretDto']['type']): string {
  return SECRET_TYPE_LABELS[type];
}

function secretOption(secret: Schemas['SecretDto'], types?: readonly string[]): Option {
  const detail =
    secret.username ?? secret.clientEmail ?? secret.certificate?.subject ?? SECRET_TYPE_LABELS[secret.type];
  const fits = !types || types.includes(secret.type);
  return {
    value: secret.id,
    label: `${secret.name} (${detail})${fits ? '' : ` — a ${SECRET_TYPE_LABELS[secret.type]} does not fit`}`,
    disabled: !fits,
  };
}

export function secretOptions(tenantId: string, types?: readonly string[]) {
  return {
    queryKey: ['tenant', tenantId, 'secrets', 'options', types ?? 'all'] as const,
    search: async (text: string, signal: AbortSignal) => {
      const page = await json(
        api.GET('/api/v1/tenants/{tenantId}/secrets', {
          params: { path: { tenantId }, query: { limit: OPTIONS_PAGE, ...(text && { search: text }) } },
          signal,
        }),
      );
      return page.items.filter((s) => !types || types.includes(s.type)).map((s) => secretOption(s, types));
    },
    getOne: async (id: string, signal: AbortSignal) =>
      secretOption(
        await json(
          api.GET('/api/v1/tenants/{tenantId}/secrets/{id}', { params: { path: { tenantId, id } }, signal }),
        ),
        types,
      ),
  };
}

export function mailboxLabel(mailbox: Schemas['MailboxDto']): string {
  return mailbox.displayName ? `${mailbox.displayName} <${mailbox.primaryAddress}>` : mailbox.primaryAddress;
}

export function mailboxOptions(tenantId: string, directoryServiceId?: string) {
  return {
    queryKey: ['tenant', tenantId, 'mailboxes', 'options', directoryServiceId ?? 'all'] as const,
    search: async (text: string, signal: AbortSignal) => {
      const page = await json(
        api.GET('/api/v1/tenants/{tenantId}/mailboxes', {
          params: {
            path: { tenantId },
            query: {
              limit: OPTIONS_PAGE,
              ...(text && { search: text }),
              ...(directoryServiceId && { directoryServiceId }),
            },
          },
          signal,
        }),
      );
      return page.items.map((m) => ({ value: m.id, label: mailboxLabel(m) }));
    },
    getOne: async (id: string, signal: AbortSignal) => {
      const mailbox = await json(
        api.GET('/api/v1/tenants/{tenantId}/mailboxes/{id}', { params: { path: { tenantId, id } }, signal }),
      );
      return { value: mailbox.id, label: mailboxLabel(mailbox) };
    },
  };
}

export function directoryServiceOptions(tenantId: string) {
  return {
    queryKey: ['tenant', tenantId, 'directory-services', 'options'] as const,
    search: async (text: string, signal: AbortSignal) => {
      const page = await json(
        api.GET('/api/v1/tenants/{tenantId}/directory-services', {
          params: { path: { tenantId }, query: { limit: OPTIONS_PAGE, ...(text && { search: text }) } },
          signal,
        }),
      );
      return page.items.map((d) => ({ value: d.id, label: `${d.name} (${d.memberCount} mailboxes)` }));
    },
    getOne: async (id: string, signal: AbortSignal) => {
      const service = await json(
        api.GET('/api/v1/tenants/{tenantId}/directory-services/{id}', {
          params: { path: { tenantId, id } },
          signal,
        }),
      );
      return { value: service.id, label: `${service.name} (${service.memberCount} mailboxes)` };
    },
  };
}

export function profileOptions(tenantId: string) {
  return {
    queryKey: ['tenant', tenantId, 'archiving-profiles', 'options'] as const,
    search: async (text: string, signal: AbortSignal) => {
      const page = await json(
        api.GET('/api/v1/tenants/{tenantId}/archiving-profiles', {
          params: { path: { tenantId }, query: { limit: OPTIONS_PAGE, ...(text && { search: text }) } },
          signal,
        }),
      );
      return page.items.map((p) => ({ value: p.id, label: p.name }));
    },
    getOne: async (id: string, signal: AbortSignal) => {
      const profile = await json(
        api.GET('/api/v1/tenants/{tenantId}/archiving-profiles/{id}', {
          params: { path: { tenantId, id } },
          signal,
        }),
      );
      return { value: profile.id, label: profile.name };
    },
  };
}

/** Every schedule of the tenant (schedules are few: one or two per profile). */
export async function allSchedules(tenantId: string, signal: AbortSignal): Promise<Schemas['ScheduleDto'][]> {
  const schedules: Schemas['ScheduleDto'][] = [];
  let cursor: string | undefined;
  do {
    const page = await json(
      api.GET('/api/v1/tenants/{tenantId}/schedules', {
        params: { path: { tenantId }, query: { limit: MAX_PAGE, ...(cursor && { cursor }) } },
        signal,
      }),
    );
    schedules.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return schedules;
}
