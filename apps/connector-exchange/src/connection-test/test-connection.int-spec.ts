import { randomUUID } from 'node:crypto';

import type { ConnectorTestConnectionRequest, TestConnectionResult } from '@mailkeep/contracts';
import { MAX_HONOURED_BACKOFF_MS } from '@mailkeep/connector-kit';
import { Egress, EgressPolicy } from '@mailkeep/egress';
import { type RunningEwsFake, seedEwsMailbox } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EwsAccess } from '../protocol/ews-access.js';
import { SERVICE_PASSWORD, startFakeWithServiceAccount } from '../test-support/fixtures.js';
import { testExchangeConnection } from './test-connection.js';

/**
 * P11 for Exchange Server against the EWS fake, without the platform around it: the steps, the
 * authentication scheme found, and the category of each failure as Exchange's answers give it.
 */
const password = SERVICE_PASSWORD;
let fake: RunningEwsFake;
let access: EwsAccess;
let tools: Parameters<typeof testExchangeConnection>[2];

beforeAll(async () => {
  fake = await startFakeWithServiceAccount(['alice@contoso.example']);
  seedEwsMailbox(fake.addMailbox('alice@contoso.example'), { largeAttachmentBytes: 0 });
  fake.addMailbox('bob@contoso.example');
  access = new EwsAccess(`https://{serverName}:${fake.port}/EWS/Exchange.asmx`);
  // Only the bus-less part of the tools is used by the test; the fake's port is the one allowance.
  tools = { egress: new Egress(EgressPolicy.fromEntries(`127.0.0.1:${fake.port}`)) } as typeof tools;
});

afterAll(async () => {
  await fake?.stop();
});

function request(sourceMailbox: string): ConnectorTestConnectionRequest {
  return {
    tenantId: randomUUID(),
    profile: { type: 'exchange', mode: 'single', serverName: '127.0.0.1', sourceMailbox, timeoutSeconds: 10 },
    mailbox: { id: randomUUID(), primaryAddress: 'archive@contoso.example' },
  };
}

/** The connection test of a single-mode profile impersonating `sourceMailbox`, as `CONTOSO\svc-archive`. */
const testFor = (sourceMailbox: string, secretPassword = password): Promise<TestConnectionResult> =>
  testExchangeConnection(
    request(sourceMailbox),
    { id: randomUUID(), type: 'basic', username: 'CONTOSO\\svc-archive', password: secretPassword },
    tools,
    access,
  );

const statuses = (result: TestConnectionResult) => result.steps.map((step) => [step.name, step.status]);

describe('testExchangeConnection', () => {
  it('authenticates with the scheme the server offers, impersonates the mailbox and lists its folders', async () => {
    const result = await testFor('alice@contoso.example');
    expect(result.error).toBeUndefined();
    expect(statuses(result)).toEqual([
      ['read profile', 'ok'],
      ['authenticate', 'ok'],
      ['impersonate mailbox', 'ok'],
      ['list folders', 'ok'],
    ]);
    expect(result.steps[1]?.detail).toBe('authenticated with NTLM');
    expect(result.steps[2]?.detail).toMatch(/^alice@contoso\.example: Inbox holds [1-9]\d* items$/);
    expect(result.transcript).not.toContain(password);
  });

  it('names a wrong password authentication and stops there', async () => {
    const result = await testFor('alice@contoso.example', 'Summer2025!rotated');
    expect(result).toMatchObject({ success: false, error: { category: 'authentication' } });
    expect(statuses(result).map(([, status]) => status)).toEqual(['ok', 'failed', 'skipped', 'skipped']);
  });

  it('names a mailbox outside the impersonation scope authorization, and an unknown one configuration', async () => {
    const denied = await testFor('bob@contoso.example');
    expect(denied).toMatchObject({ success: false, error: { category: 'authorization' } });
    expect(denied.error?.serverMessage).toMatch(/^ErrorImpersonateUserDenied/);
    expect(statuses(denied).map(([, status]) => status)).toEqual(['ok', 'ok', 'failed', 'skipped']);

    const unknown = await testFor('nobody@contoso.example');
    expect(unknown).toMatchObject({ success: false, error: { category: 'configuration' } });
    expect(unknown.error?.serverMessage).toMatch(/^ErrorNonExistentMailbox/);
  });

  it('names a server that asks for a longer back-off than a task honours throttled', async () => {
    fake.setFaults({ busyFraction: 1, backOffMilliseconds: MAX_HONOURED_BACKOFF_MS + 60_000 });
    try {
      const result = await testFor('alice@contoso.example');
      expect(result).toMatchObject({ success: false, error: { category: 'throttled' } });
    } finally {
      fake.setFaults({});
    }
  });
});
