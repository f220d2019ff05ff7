import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type FakeApplication,
  type FakeTenant,
  type FakeUser,
  generateApplicationCertificate,
  type RunningGraphFake,
  startGraphFake,
} from '@mailkeep/testing';

import type { AppRegistration } from './app-credential.js';
import type { MicrosoftEndpoints } from './endpoints.js';
import { createGraphClient } from './graph-client.js';
import { parseGraphError } from './parse-graph-error.js';
import { AppTokenCache } from './token-cache.js';

/** Token acquisition and the Graph client against the HTTPS fake, as the connector and directory use them. */

let fake: RunningGraphFake;
let endpoints: MicrosoftEndpoints;
let tenant: FakeTenant;
let app: FakeApplication;
let alice: FakeUser;
const certificate = generateApplicationCertificate();
const secret = 'Qx8Q~libTestSecret_0123456789abcdefghij';

beforeAll(async () => {
  fake = await startGraphFake();
  endpoints = { authorityUrl: fake.origin, graphUrl: fake.origin };
  tenant = fake.addTenant('fabrikam.example');
  alice = tenant.addUser('alice');
  app = tenant.addApplication({
    secrets: [secret],
    certificates: [certificate.certificatePem],
    permissions: ['Mail.Read', 'User.Read.All'],
  });
});

afterAll(async () => {
  await fake.stop();
});

const registration = (
  credential: AppRegistration['credential'],
  directoryId = tenant.id,
): AppRegistration => ({
  directoryId,
  clientId: app.clientId,
  credential,
});

describe('@mailkeep/microsoft-graph against the fake', () => {
  it('gets a token with a client secret and with a certificate, and lists users and folders with it', async () => {
    const cache = new AppTokenCache();
    for (const credential of [
      { kind: 'client-secret', clientSecret: secret } as const,
      {
        kind: 'certificate',
        certificatePem: certificate.certificatePem,
        privateKeyPem: certificate.privateKeyPem,
      } as const,
    ]) {
      const client = createGraphClient({
        endpoints,
        accessToken: () => cache.token(endpoints, registration(credential)),
      });
      const users = (await client.api('/users').select('id,userPrincipalName').get()) as {
        value: { id: string }[];
      };
      expect(users.value.map((u) => u.id)).toEqual([alice.id]);
      const folders = (await client.api(`/users/${alice.id}/mailFolders`).get()) as { value: unknown[] };
      expect(folders.value.length).toBeGreaterThan(0);
    }
    expect(cache.acquisitions).toBe(2);
  });

  it('maps a wrong secret, an unknown tenant and a missing permission to their categories', async () => {
    const cache = new AppTokenCache();
    const wrong = await cache
      .token(endpoints, registration({ kind: 'client-secret', clientSecret: 'nope' }))
      .catch((e: unknown) => e);
    expect(parseGraphError(wrong)).toMatchObject({
      category: 'authentication',
      microsoftCode: 'AADSTS7000215',
    });
    expect(parseGraphError(wrong).serverMessage).toMatch(/^AADSTS7000215: Invalid client secret provided/);

    const unknown = await cache
      .token(
        endpoints,
        registration({ kind: 'client-secret', clientSecret: secret }, '00000000-0000-0000-0000-000000000001'),
      )
      .catch((e: unknown) => e);
    expect(parseGraphError(unknown)).toMatchObject({
      category: 'configuration',
      microsoftCode: 'AADSTS90002',
    });

    const client = createGraphClient({
      endpoints,
      accessToken: () =>
        cache.token(endpoints, registration({ kind: 'client-secret', clientSecret: secret })),
    });
    const denied: unknown = await client
      .api(`/users/${alice.id}/messages/x/permanentDelete`)
      .post({})
      .catch((e: unknown) => e);
    expect(parseGraphError(denied)).toMatchObject({
      category: 'authorization',
      code: 'FORBIDDEN',
      microsoftCode: 'ErrorAccessDenied',
    });
  });

  it('leaves throttling to the caller: a 429 reaches it once, with its Retry-After', async () => {
    const cache = new AppTokenCache();
    const client = createGraphClient({
      endpoints,
      accessToken: () =>
        cache.token(endpoints, registration({ kind: 'client-secret', clientSecret: secret })),
    });
    fake.setFaults({ throttleFraction: 1, retryAfterSeconds: 3 });
    const before = fake.counters.graphRequests;
    try {
      const error: unknown = await client
        .api(`/users/${alice.id}/mailFolders`)
        .get()
        .catch((e: unknown) => e);
      expect(parseGraphError(error)).toMatchObject({ code: 'THROTTLED', retryAfterMs: 3000 });
    } finally {
      fake.setFaults({});
    }
    expect(fake.counters.graphRequests - before).toBe(1);
  });
});
