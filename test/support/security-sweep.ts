import type { Operation } from './openapi-operations.js';

/**
 * The tenant-isolation sweep of test/security.e2e-spec.ts, as data: the ids a tenant's fixture
 * holds per collection, and a body for every write so a refusal is about ownership and role, not
 * a malformed payload.
 */

export const isWrite = (operation: Operation) => operation.method !== 'get';

/**
 * One tenant's objects, by the collection segment that precedes `{id}` in a path
 * (`/secrets/{id}` → `secrets`), and `part` (an attachment's MIME part).
 */
export type Fixture = Record<string, string> & { tenantId: string };

/**
 * The path of `operation` for `tenantId`, each `{id}` the fixture's object of the collection named
 * before it. Throws naming the collection when the fixture has none: a new route with ids fails
 * the sweep until its objects are part of the fixture.
 */
export function pathFor(operation: Operation, tenantId: string, ids: Fixture): string {
  return operation.template
    .replace(/^\/api\/v1/, '')
    .replace(/\{([^}]+)\}/g, (_m, name: string, offset: number, path: string) => {
      if (name === 'tenantId') return tenantId;
      // `offset` is in the path without its /api/v1 prefix: read the collection from that same string.
      const key = name === 'id' ? (/([^/]+)\/$/.exec(path.slice(0, offset))?.[1] ?? '') : name;
      const value = ids[key];
      if (value === undefined)
        throw new Error(`no fixture object for {${name}} in ${operation.template} (${key})`);
      return value;
    });
}

/** A request body: JSON (most writes) or a CSV upload. */
export interface SampleBody {
  readonly contentType: string;
  readonly text: string;
}

const json = (value: unknown): SampleBody => ({
  contentType: 'application/json',
  text: JSON.stringify(value),
});

/**
 * A valid body for each write with a body, from the ids of the fixture it refers to (the caller's
 * own for the auditor, the other tenant's for the foreign probes). A write the document gains
 * without a body here fails the sweep ("no sample body").
 */
export const SAMPLE_BODIES: Record<string, (ids: Fixture, marker: string) => SampleBody> = {
  'post /api/v1/tenants': (_ids, m) => json({ name: `Sweep ${m}` }),
  'patch /api/v1/tenants/{tenantId}': (_ids, m) => json({ name: `Renamed ${m}` }),
  'post /api/v1/api-keys': (_ids, m) => json({ name: `sweep ${m}`, role: 'operator' }),
  'post /api/v1/tenants/{tenantId}/api-keys': (_ids, m) => json({ name: `sweep ${m}`, role: 'auditor' }),
  'post /api/v1/tenants/{tenantId}/secrets': (_ids, m) =>
    json({ name: `sweep ${m}`, type: 'basic', username: 'sweep', password: 'sweep-password' }),
  'patch /api/v1/tenants/{tenantId}/secrets/{id}': () => json({ username: 'renamed' }),
  'post /api/v1/tenants/{tenantId}/mailboxes': (_ids, m) =>
    json({ primaryAddress: `sweep-${m}@example.com` }),
  'patch /api/v1/tenants/{tenantId}/mailboxes/{id}': () => json({ displayName: 'Renamed' }),
  // The directory service it imports into goes in the query (queryFor).
  'post /api/v1/tenants/{tenantId}/mailboxes:import': (_ids, m) => ({
    contentType: 'text/csv',
    text: `primaryAddress,displayName\nimport-${m}@example.com,Imported\n`,
  }),
  'post /api/v1/tenants/{tenantId}/directory-services': (_ids, m) =>
    json({ name: `sweep ${m}`, type: 'static' }),
  'patch /api/v1/tenants/{tenantId}/directory-services/{id}': () => json({ description: 'renamed' }),
  'post /api/v1/tenants/{tenantId}/directory-services/{id}/sync': () => json({}),
  'post /api/v1/tenants/{tenantId}/directory-services/{id}/test-connection': () => json({}),
  'post /api/v1/tenants/{tenantId}/archiving-profiles': (ids, m) => json(imapProfile(ids, m)),
  'post /api/v1/tenants/{tenantId}/archiving-profiles/test-connection': (ids, m) => json(imapProfile(ids, m)),
  'patch /api/v1/tenants/{tenantId}/archiving-profiles/{id}': () => json({ description: 'renamed' }),
  'post /api/v1/tenants/{tenantId}/archiving-profiles/{id}/test-connection': () => json({}),
  'post /api/v1/tenants/{tenantId}/archiving-profiles/{id}/schedules': (_ids, m) => json(scheduleBody(m)),
  'post /api/v1/tenants/{tenantId}/schedules': (ids, m) =>
    json({ ...scheduleBody(m), profileId: ids['archiving-profiles'] }),
  'patch /api/v1/tenants/{tenantId}/schedules/{id}': () => json({ enabled: false }),
  'post /api/v1/tenants/{tenantId}/schedules/{id}/run': () => json({}),
  'post /api/v1/tenants/{tenantId}/runs/{id}/cancel': () => json({}),
  'post /api/v1/tenants/{tenantId}/integrity-checks': (ids) => json({ mailboxId: ids['mailboxes'] }),
  'post /api/v1/tenants/{tenantId}/text-index/reindex': () => json({}),
};

/** Query parameters that name an object: filled with the fixture's ids like path ids. */
export const ID_QUERY_PARAMS: Record<string, string> = {
  mailboxId: 'mailboxes',
  directoryServiceId: 'directory-services',
  profileId: 'archiving-profiles',
  scheduleId: 'schedules',
  runId: 'runs',
  secretId: 'secrets',
};

/** `?name=id&…` for every query parameter of the operation that names an object of the fixture. */
export function queryFor(operation: Operation, ids: Fixture): string {
  const pairs = operation.queryParams
    .filter((name) => ID_QUERY_PARAMS[name] !== undefined && ids[ID_QUERY_PARAMS[name] ?? ''] !== undefined)
    .map((name) => `${name}=${encodeURIComponent(ids[ID_QUERY_PARAMS[name] ?? ''] ?? '')}`);
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

function imapProfile(ids: Fixture, marker: string) {
  return {
    name: `sweep ${marker}`,
    type: 'imap',
    mode: 'single',
    credentialsSecretId: ids['secrets'],
    mailboxId: ids['mailboxes'],
    serverName: 'imap.example.invalid',
    protocol: 'imap-ssl',
  };
}

function scheduleBody(marker: string) {
  return { name: `sweep ${marker}`, timezone: 'UTC', recurrence: { type: 'daily', times: ['03:00'] } };
}
