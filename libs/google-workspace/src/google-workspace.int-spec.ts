import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type FakeGoogleDomain,
  type FakeGoogleUser,
  type RunningGoogleFake,
  startGoogleFake,
} from '@mailkeep/testing';

import { type GoogleEndpoints, GOOGLE_SCOPES, gmailUserUrl } from './endpoints.js';
import { googleJson } from './google-request.js';
import { parseGoogleError } from './parse-google-error.js';
import { parseServiceAccountKey, type ServiceAccountKey } from './service-account-key.js';
import { DelegatedTokenCache } from './token-cache.js';

/** Delegated tokens and authorised calls against the HTTPS Google fake, as the connector and directory use them. */
let fake: RunningGoogleFake;
let endpoints: GoogleEndpoints;
let domain: FakeGoogleDomain;
let alice: FakeGoogleUser;
let delegated: ServiceAccountKey;
let undelegated: ServiceAccountKey;

beforeAll(async () => {
  fake = await startGoogleFake();
  endpoints = { tokenUrl: fake.tokenUrl, gmailUrl: fake.origin, adminUrl: fake.origin };
  domain = fake.addDomain('northwind.example');
  alice = domain.addUser('alice');
  domain.addUser('nomail', { gmail: false });
  domain.addUser('gone', { suspended: true });
  delegated = parseServiceAccountKey(
    fake.addServiceAccount(domain, { delegatedScopes: [GOOGLE_SCOPES.gmailReadonly] }).key.json,
  );
  undelegated = parseServiceAccountKey(fake.addServiceAccount(domain).key.json);
});

afterAll(async () => {
  await fake.stop();
});

const readonly = [GOOGLE_SCOPES.gmailReadonly];
const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

describe('@mailkeep/google-workspace against the fake', () => {
  it('exchanges an RS256 assertion for a token per subject and reads the profile with it', async () => {
    const cache = new DelegatedTokenCache();
    const request = { key: delegated, subject: alice.primaryEmail, scopes: readonly };
    const [first, second] = await Promise.all([
      cache.token(endpoints, request),
      cache.token(endpoints, { ...request, subject: 'ALICE@northwind.example' }),
    ]);
    expect(first).toMatch(/^ya29\./);
    expect(second).toBe(first);
    expect(cache.acquisitions).toBe(1);
    const profile = await googleJson<{ emailAddress: string; historyId: string }>({
      url: `${gmailUserUrl(endpoints, alice.primaryEmail)}/profile`,
      accessToken: first,
    });
    expect(profile.emailAddress).toBe(alice.primaryEmail);
    expect(profile.historyId).toMatch(/^\d+$/);
  });

  it('keeps a mailbox’s token until shortly before it expires, then asks for a new one', async () => {
    // Tokens of 330 s: fresh for the 30 s before the 5-minute refresh margin begins.
    const shortLived = await startGoogleFake({ tokenLifetimeSeconds: 330 });
    try {
      const northwind = shortLived.addDomain('northwind.example');
      const subject = northwind.addUser('alice').primaryEmail;
      const key = parseServiceAccountKey(
        shortLived.addServiceAccount(northwind, { delegatedScopes: readonly }).key.json,
      );
      let clock = Date.now();
      const cache = new DelegatedTokenCache(undefined, () => clock);
      const request = { key, subject, scopes: readonly };
      const tokenUrl = { tokenUrl: shortLived.tokenUrl };
      const first = await cache.token(tokenUrl, request);
      clock += 25_000;
      expect(await cache.token(tokenUrl, request)).toBe(first);
      clock += 10_000;
      const renewed = await cache.token(tokenUrl, request);
      expect(renewed).not.toBe(first);
      expect(cache.acquisitions).toBe(2);
      expect(shortLived.counters.tokensIssued).toBe(2);
    } finally {
      await shortLived.stop();
    }
  });

  it('maps a key without delegation, an unknown or suspended user and a missing scope to their categories', async () => {
    const cache = new DelegatedTokenCache();
    const noDelegation = await failure(
      cache.token(endpoints, { key: undelegated, subject: alice.primaryEmail, scopes: readonly }),
    );
    expect(parseGoogleError(noDelegation)).toMatchObject({
      code: 'FORBIDDEN',
      category: 'authorization',
      googleReason: 'unauthorized_client',
    });
    // Remembered: a second mailbox of the same key and scopes is a new subject, so it asks again;
    // the same subject is answered from memory.
    await failure(
      cache.token(endpoints, { key: undelegated, subject: alice.primaryEmail, scopes: readonly }),
    );
    expect(cache.acquisitions).toBe(1);

    for (const subject of ['nobody@northwind.example', 'gone@northwind.example']) {
      const unknown = await failure(cache.token(endpoints, { key: delegated, subject, scopes: readonly }));
      expect(parseGoogleError(unknown)).toMatchObject({
        category: 'configuration',
        googleReason: 'invalid_grant',
      });
    }

    const fullScope = await failure(
      cache.token(endpoints, {
        key: delegated,
        subject: alice.primaryEmail,
        scopes: [GOOGLE_SCOPES.gmailFull],
      }),
    );
    expect(parseGoogleError(fullScope).category).toBe('authorization');

    const token = await cache.token(endpoints, {
      key: delegated,
      subject: 'nomail@northwind.example',
      scopes: readonly,
    });
    const noGmail = await failure(
      googleJson({
        url: `${gmailUserUrl(endpoints, 'nomail@northwind.example')}/labels`,
        accessToken: token,
      }),
    );
    expect(parseGoogleError(noGmail)).toMatchObject({
      code: 'VALIDATION',
      category: 'configuration',
      googleReason: 'failedPrecondition',
      serverMessage: 'failedPrecondition: Mail service not enabled',
    });
  });

  it('refuses a key whose signature Google does not know (a replaced key) as authentication', async () => {
    const other = fake.addServiceAccount(domain, { delegatedScopes: readonly });
    const forged = parseServiceAccountKey({
      ...other.key.json,
      private_key: fake.addServiceAccount(domain).key.json['private_key'],
    });
    const error = await failure(
      new DelegatedTokenCache().token(endpoints, {
        key: forged,
        subject: alice.primaryEmail,
        scopes: readonly,
      }),
    );
    expect(parseGoogleError(error)).toMatchObject({ code: 'AUTH_FAILED', category: 'authentication' });
  });

  it('leaves quota errors to the caller: each reaches it once, as throttling', async () => {
    const token = await new DelegatedTokenCache().token(endpoints, {
      key: delegated,
      subject: alice.primaryEmail,
      scopes: readonly,
    });
    fake.setFaults({ quotaErrorFraction: 1 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const error = await failure(
          googleJson({ url: `${gmailUserUrl(endpoints, 'me')}/labels`, accessToken: token }),
        );
        const parsed = parseGoogleError(error);
        expect(parsed).toMatchObject({ code: 'THROTTLED', category: 'throttled' });
        statuses.push(parsed.status ?? 0);
      }
      expect(statuses.sort()).toEqual([403, 403, 429]);
    } finally {
      fake.setFaults({});
    }
  });
});
