import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';

import { Client, GraphError, PageIterator, ResponseType } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateApplicationCertificate } from '../test-ca.js';
import { GRAPH_DEFAULT_SCOPE } from './identity.js';
import { seedMailbox, type SeededMailbox } from './seed.js';
import { type RunningGraphFake, startGraphFake } from './server.js';
import type { FakeApplication, FakeTenant, FakeUser } from './state.js';

/**
 * The fake driven by what production uses: the official Graph SDK (paging iterator, delta links,
 * `$value` as a stream, GraphError parsing) and Node's fetch for the token endpoint, over HTTPS
 * trusted through NODE_EXTRA_CA_CERTS (set by the vitest globalSetup).
 */

let fake: RunningGraphFake;
let tenant: FakeTenant;
let app: FakeApplication;
let alice: FakeUser;
let seeded: SeededMailbox;
const secret = 'Qx8Q~fakeSecretValue.ForTests_0123456789abcd';
const certificate = generateApplicationCertificate();

async function requestToken(
  form: Record<string, string>,
  tenantId = tenant.id,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${fake.origin}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function secretToken(clientId = app.clientId): Promise<string> {
  const { body } = await requestToken({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
    scope: GRAPH_DEFAULT_SCOPE,
  });
  return String(body['access_token']);
}

function assertion(overrides: { claims?: Record<string, unknown>; keyPem?: string } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', 'x5t#S256': certificate.sha256Thumbprint };
  const claims = {
    aud: fake.tokenUrl(tenant),
    iss: app.clientId,
    sub: app.clientId,
    jti: randomUUID(),
    nbf: now,
    exp: now + 600,
    ...overrides.claims,
  };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign(
    'sha256',
    Buffer.from(input),
    createPrivateKey(overrides.keyPem ?? certificate.privateKeyPem),
  );
  return `${input}.${signature.toString('base64url')}`;
}

function sdk(token: string): Client {
  return Client.initWithMiddleware({
    authProvider: { getAccessToken: () => Promise.resolve(token) },
    baseUrl: `${fake.origin}/`,
    customHosts: new Set(['127.0.0.1']),
  });
}

async function graphError(promise: Promise<unknown>): Promise<GraphError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphError);
  return error as GraphError;
}

beforeAll(async () => {
  fake = await startGraphFake();
  tenant = fake.addTenant('contoso.example');
  alice = tenant.addUser('alice.archive');
  tenant.addUser('bob.smith');
  for (let i = 0; i < 4; i += 1) tenant.addUser(`guest${i}`, { userType: 'Guest' });
  app = tenant.addApplication({ secrets: [secret], certificates: [certificate.certificatePem] });
  seeded = seedMailbox(alice.mailbox!);
});

afterAll(async () => {
  await fake.stop();
});

describe('identity platform token endpoint', () => {
  it('grants a token for a client secret', async () => {
    const { status, body } = await requestToken({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: secret,
      scope: GRAPH_DEFAULT_SCOPE,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    expect(String(body['access_token'])).toMatch(/^eyJ/);
  });

  it('answers AADSTS7000215 for a wrong secret, with the documented body', async () => {
    const { status, body } = await requestToken({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: 'wrong',
      scope: GRAPH_DEFAULT_SCOPE,
    });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(String(body['error_description'])).toMatch(
      /^AADSTS7000215: Invalid client secret provided\..*Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['timestamp', 'trace_id', 'correlation_id']));
  });

  it('answers AADSTS90002 for an unknown tenant and AADSTS700016 for an unknown application', async () => {
    const unknownTenant = await requestToken(
      {
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: secret,
        scope: GRAPH_DEFAULT_SCOPE,
      },
      randomUUID(),
    );
    expect(unknownTenant).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', error_codes: [90002] },
    });
    const unknownApp = await requestToken({
      grant_type: 'client_credentials',
      client_id: randomUUID(),
      client_secret: secret,
      scope: GRAPH_DEFAULT_SCOPE,
    });
    expect(unknownApp).toMatchObject({
      status: 400,
      body: { error: 'unauthorized_client', error_codes: [700016] },
    });
  });

  it('accepts a certificate assertion and refuses a forged, replayed or misaddressed one', async () => {
    const form = {
      grant_type: 'client_credentials',
      client_id: app.clientId,
      scope: GRAPH_DEFAULT_SCOPE,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    };
    const good = assertion();
    expect((await requestToken({ ...form, client_assertion: good })).status).toBe(200);
    const replayed = await requestToken({ ...form, client_assertion: good });
    expect(replayed).toMatchObject({ status: 401, body: { error_codes: [700027] } });
    const forged = await requestToken({
      ...form,
      client_assertion: assertion({ keyPem: generateApplicationCertificate().privateKeyPem }),
    });
    expect(forged).toMatchObject({ status: 401, body: { error_codes: [700027] } });
    expect(String(forged.body['error_description'])).toContain('failed signature validation');
    const wrongAudience = await requestToken({
      ...form,
      client_assertion: assertion({
        claims: { aud: 'https://login.microsoftonline.com/common/oauth2/v2.0/token' },
      }),
    });
    expect(wrongAudience).toMatchObject({ status: 401, body: { error_codes: [700027] } });
    const expired = await requestToken({
      ...form,
      client_assertion: assertion({ claims: { exp: Math.floor(Date.now() / 1000) - 3600 } }),
    });
    expect(expired).toMatchObject({ status: 401, body: { error_codes: [700024] } });
  });
});

describe('Graph through the official SDK', () => {
  it('pages users with the PageIterator and filters guests', async () => {
    const client = sdk(await secretToken());
    const first = (await client.api('/users').top(2).select('id,userPrincipalName,mail,userType').get()) as {
      '@odata.nextLink'?: string;
    };
    expect(first['@odata.nextLink']).toMatch(new RegExp(`^${fake.origin}/v1.0/users\\?`));
    const upns: string[] = [];
    await new PageIterator(client, first as never, (user: { userPrincipalName: string }) => {
      upns.push(user.userPrincipalName);
      return true;
    }).iterate();
    expect(upns).toHaveLength(6);
    const guests = (await client.api('/users').filter("userType eq 'Guest'").get()) as {
      value: { mail: unknown }[];
    };
    expect(guests.value).toHaveLength(4);
    expect(guests.value.every((g) => g.mail === null)).toBe(true);
  });

  it('lists transitive members of nested groups, users only with the cast segment', async () => {
    const inner = tenant.addGroup('Finance', [tenant.user('bob.smith@contoso.example')!]);
    const outer = tenant.addGroup('Archive-Scope', [alice, inner]);
    const client = sdk(await secretToken());
    const users = (await client
      .api(`/groups/${outer.id}/transitiveMembers/microsoft.graph.user`)
      .top(1)
      .get()) as { value: unknown[]; '@odata.nextLink': string };
    expect(users.value).toHaveLength(1);
    const second = (await client.api(users['@odata.nextLink']).get()) as {
      value: { id: string }[];
      '@odata.nextLink'?: string;
    };
    expect(second.value.map((u) => u.id)).toEqual([tenant.user('bob.smith@contoso.example')!.id]);
    expect(second['@odata.nextLink']).toBeUndefined();
  });

  it('lists top-level folders without hidden ones unless asked, child folders and search folders', async () => {
    const client = sdk(await secretToken());
    const top = (await client.api(`/users/${alice.userPrincipalName}/mailFolders`).top(50).get()) as {
      value: { displayName: string; isHidden: boolean }[];
    };
    expect(top.value.map((f) => f.displayName)).toEqual(
      expect.arrayContaining(['Inbox', 'Deleted Items', 'Junk Email', 'Drafts', 'Outbox', 'Projects']),
    );
    expect(top.value.some((f) => f.isHidden)).toBe(false);
    const all = (await client
      .api(`/users/${alice.id}/mailFolders`)
      .query({ includeHiddenFolders: 'true' })
      .top(50)
      .get()) as { value: { displayName: string }[] };
    expect(all.value.map((f) => f.displayName)).toContain('Sync Issues');
    const defaultPage = (await client
      .api(`/users/${alice.id}/mailFolders`)
      .query({ includeHiddenFolders: 'true' })
      .get()) as { value: unknown[]; '@odata.nextLink'?: string };
    expect(defaultPage.value).toHaveLength(10);
    expect(defaultPage['@odata.nextLink']).toBeDefined();
    const inboxChildren = (await client.api(`/users/${alice.id}/mailFolders/inbox/childFolders`).get()) as {
      value: Record<string, unknown>[];
    };
    expect(inboxChildren.value[0]).toMatchObject({
      '@odata.type': '#microsoft.graph.mailSearchFolder',
      displayName: 'Weekly reports',
    });
  });

  it('runs message delta with a page size and immutable ids, then reports new and removed messages', async () => {
    const client = sdk(await secretToken());
    const inbox = alice.mailbox!.wellKnown('inbox');
    const expected = alice.mailbox!.folderMessages(inbox.id).map((m) => m.immutableId);
    const collect = async (
      link: string,
    ): Promise<{ items: Record<string, unknown>[]; deltaLink: string; pages: number }> => {
      const items: Record<string, unknown>[] = [];
      let next: string | undefined = link;
      let pages = 0;
      for (;;) {
        const page = (await client
          .api(next)
          .header('Prefer', 'odata.maxpagesize=2, IdType="ImmutableId"')
          .get()) as Record<string, unknown>;
        pages += 1;
        items.push(...(page['value'] as Record<string, unknown>[]));
        if (typeof page['@odata.deltaLink'] === 'string')
          return { items, deltaLink: page['@odata.deltaLink'], pages };
        next = String(page['@odata.nextLink']);
        expect(next.startsWith(`${fake.origin}/v1.0/`)).toBe(true);
      }
    };
    const initial = await collect(
      `/users/${alice.id}/mailFolders/${inbox.id}/messages/delta?$select=id,receivedDateTime,internetMessageId,flag`,
    );
    expect(initial.items.map((m) => m['id'])).toEqual(expected);
    expect(initial.pages).toBe(Math.ceil(expected.length / 2));
    expect(initial.items.find((m) => m['id'] === seeded.flagged.immutableId)).toMatchObject({
      flag: { flagStatus: 'flagged' },
    });
    expect(initial.items[0]).not.toHaveProperty('subject');

    const added = alice.mailbox!.addMessage(
      'inbox',
      Buffer.from('Subject: new\r\nMessage-ID: <new@contoso.example>\r\n\r\nhi\r\n'),
    );
    const removed = seeded.archivable.find((m) => m.folderId === inbox.id)!;
    alice.mailbox!.deleteMessage(removed.id);
    const next = await collect(initial.deltaLink);
    // Delta reports changes in no guaranteed order.
    expect(next.items).toHaveLength(2);
    expect(next.items).toEqual(
      expect.arrayContaining([
        {
          '@odata.type': '#microsoft.graph.message',
          id: removed.immutableId,
          '@removed': { reason: 'deleted' },
        },
        expect.objectContaining({ id: added.immutableId, internetMessageId: '<new@contoso.example>' }),
      ]),
    );

    alice.mailbox!.expireDeltaTokens();
    const gone = await graphError(client.api(next.deltaLink).get());
    expect(gone.statusCode).toBe(410);
    expect(gone.code).toBe('SyncStateNotFound');
  });

  it('streams $value byte for byte', async () => {
    const client = sdk(await secretToken());
    const live = seeded.archivable.filter((m) => alice.mailbox!.message(m.id) !== undefined);
    const binary = live.reduce((largest, m) => (m.raw.length > largest.raw.length ? m : largest));
    expect(binary.raw.length).toBeGreaterThan(64 * 1024);
    const stream = (await client
      .api(`/users/${alice.id}/messages/${binary.immutableId}/$value`)
      .responseType(ResponseType.STREAM)
      .get()) as ReadableStream<Uint8Array>;
    expect((await buffer(Readable.fromWeb(stream as never))).equals(binary.raw)).toBe(true);
  });

  it('parses Graph error envelopes into GraphError', async () => {
    const client = sdk(await secretToken());
    const missing = await graphError(client.api(`/users/${alice.id}/messages/AAMkAGnope=/$value`).get());
    expect(missing).toMatchObject({ statusCode: 404, code: 'ErrorItemNotFound' });
    expect(missing.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const guest = tenant.users.find((u) => u.userType === 'Guest')!;
    expect(await graphError(client.api(`/users/${guest.id}/mailFolders`).get())).toMatchObject({
      statusCode: 404,
      code: 'MailboxNotEnabledForRESTAPI',
    });

    const scoped = tenant.addApplication({
      secrets: [secret],
      mailboxScope: [tenant.user('bob.smith@contoso.example')!],
    });
    const scopedClient = sdk(await secretToken(scoped.clientId));
    expect(await graphError(scopedClient.api(`/users/${alice.id}/mailFolders`).get())).toMatchObject({
      statusCode: 403,
      code: 'ErrorAccessDenied',
    });

    expect(await graphError(sdk('not-a-token').api('/users').get())).toMatchObject({
      statusCode: 401,
      code: 'InvalidAuthenticationToken',
    });
  });

  it('permanently deletes, needing Mail.ReadWrite', async () => {
    const readOnly = tenant.addApplication({ secrets: [secret], permissions: ['Mail.Read'] });
    const target = seeded.excluded[0]!;
    const denied = await graphError(
      sdk(await secretToken(readOnly.clientId))
        .api(`/users/${alice.id}/messages/${target.immutableId}/permanentDelete`)
        .post({}),
    );
    expect(denied).toMatchObject({ statusCode: 403, code: 'ErrorAccessDenied' });
    await sdk(await secretToken())
      .api(`/users/${alice.id}/messages/${target.immutableId}/permanentDelete`)
      .post({});
    expect(alice.mailbox!.message(target.id)).toBeUndefined();
    expect(fake.counters.permanentDeletes).toEqual([target.immutableId]);
  });

  it('throttles with Retry-After, which the SDK honours, and counts early retries', async () => {
    const client = sdk(await secretToken());
    // Seconds: the SDK rounds an HTTP-date's distance to whole seconds and can retry early.
    fake.setFaults({ throttleFraction: 0.5, retryAfterSeconds: 1, seed: 7 });
    const before = fake.counters.throttled;
    try {
      for (let i = 0; i < 4; i += 1) await client.api(`/users/${alice.id}/mailFolders/inbox`).get();
    } finally {
      fake.setFaults({});
    }
    expect(fake.counters.throttled).toBeGreaterThan(before);
    expect(fake.counters.earlyRetries).toBe(0);

    // A client that ignores Retry-After is caught.
    fake.setFaults({ throttleFraction: 1, retryAfterSeconds: 5, retryAfterFormat: 'http-date' });
    const token = await secretToken();
    const url = `${fake.origin}/v1.0/users/${alice.id}/mailFolders/inbox`;
    const first = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(first.status).toBe(429);
    const retryAt = Date.parse(first.headers.get('retry-after') ?? '');
    expect(retryAt - Date.now()).toBeGreaterThan(3_000);
    const throttled = (await first.json()) as { error: { code: string; innerError: Record<string, string> } };
    expect(throttled.error.code).toBe('ApplicationThrottled');
    expect(throttled.error.innerError['request-id']).toBe(first.headers.get('request-id'));
    fake.setFaults({});
    await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(fake.counters.earlyRetries).toBe(1);
  });

  it('answers 429 when more than 4 requests are in flight for one mailbox', async () => {
    fake.setFaults({ delayMs: 100 });
    const token = await secretToken();
    try {
      const statuses = await Promise.all(
        Array.from({ length: 6 }, () =>
          fetch(`${fake.origin}/v1.0/users/${alice.id}/mailFolders/inbox`, {
            headers: { Authorization: `Bearer ${token}` },
          }).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    } finally {
      fake.setFaults({});
    }
  });
});
