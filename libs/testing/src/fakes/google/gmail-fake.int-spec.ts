import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type FakeGoogleDomain,
  type FakeGoogleUser,
  startGoogleFake,
  type RunningGoogleFake,
} from '../../index.js';
import { seedGmailMailbox, type SeededGmailMailbox } from './seed.js';
import { type GeneratedServiceAccountKey } from './service-account-key.js';

/**
 * The Gmail fake's wire behaviour, driven with plain fetch and a token obtained the way Google's
 * clients obtain one (an RS256 assertion signed here with node:crypto).
 */
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const FULL = 'https://mail.google.com/';
let fake: RunningGoogleFake;
let domain: FakeGoogleDomain;
let alice: FakeGoogleUser;
let seeded: SeededGmailMailbox;
let key: GeneratedServiceAccountKey;

async function token(subject: string, scopes: readonly string[]): Promise<string> {
  const { createPrivateKey, sign } = await import('node:crypto');
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT', kid: key.privateKeyId })}.${part({
    iss: key.clientEmail,
    sub: subject,
    scope: scopes.join(' '),
    aud: fake.tokenUrl,
    iat: now,
    exp: now + 3600,
  })}`;
  const signature = sign('sha256', Buffer.from(input), createPrivateKey(key.json['private_key'] ?? ''));
  const response = await fetch(fake.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: `${input}.${signature.toString('base64url')}`,
    }),
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

async function gmail<T>(
  accessToken: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${fake.origin}/gmail/v1/users/${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

beforeAll(async () => {
  fake = await startGoogleFake();
  domain = fake.addDomain('northwind.example');
  alice = domain.addUser('alice');
  domain.addUser('nomail', { gmail: false });
  seeded = seedGmailMailbox(alice.mailbox!);
  key = fake.addServiceAccount(domain, { delegatedScopes: [READONLY, FULL] }).key;
});

afterAll(async () => {
  await fake.stop();
});

describe('the Gmail fake', () => {
  it('lists in pages without spam and trash by default, filters by labelIds and q, and returns raw as base64url', async () => {
    const accessToken = await token(alice.primaryEmail, [READONLY]);
    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await gmail<{ messages?: { id: string }[]; nextPageToken?: string }>(
        accessToken,
        `${encodeURIComponent(alice.primaryEmail)}/messages?maxResults=4${pageToken ? `&pageToken=${pageToken}` : ''}`,
      );
      expect(page.status).toBe(200);
      ids.push(...(page.body.messages ?? []).map((m) => m.id));
      pageToken = page.body.nextPageToken;
    } while (pageToken);
    const spamTrash = seeded.excluded.filter((m) => m.labelIds.has('SPAM') || m.labelIds.has('TRASH'));
    expect(ids).toHaveLength(alice.mailbox!.live().length - spamTrash.length);
    const withSpam = await gmail<{ resultSizeEstimate: number }>(
      accessToken,
      'me/messages?includeSpamTrash=true',
    );
    expect(withSpam.body.resultSizeEstimate).toBe(alice.mailbox!.live().length);
    const starred = await gmail<{ messages: { id: string }[] }>(
      accessToken,
      'me/messages?labelIds=INBOX&labelIds=STARRED',
    );
    expect(starred.body.messages.map((m) => m.id)).toEqual([seeded.starred.id]);
    const noDrafts = await gmail<{ resultSizeEstimate: number }>(
      accessToken,
      `me/messages?q=${encodeURIComponent('-in:drafts')}`,
    );
    expect(noDrafts.body.resultSizeEstimate).toBe(ids.length - 1);
    const empty = await gmail<Record<string, unknown>>(accessToken, 'me/messages?q=label:nothing-like-this');
    expect(empty.body).toEqual({ resultSizeEstimate: 0 });

    const raw = await gmail<{ raw: string; labelIds: string[]; internalDate: string }>(
      accessToken,
      `me/messages/${seeded.multiLabelled.id}?format=raw`,
    );
    expect(Buffer.from(raw.body.raw, 'base64url').equals(seeded.multiLabelled.raw)).toBe(true);
    expect(raw.body.raw).not.toMatch(/[+/=]/);
    expect(raw.body.labelIds).toEqual(['INBOX', 'Label_2', 'Label_1']);
    expect(raw.body.internalDate).toMatch(/^\d+$/);
  });

  it('answers history from a start id, and 404 once it has expired', async () => {
    const accessToken = await token(alice.primaryEmail, [READONLY]);
    const { body: profile } = await gmail<{ historyId: string }>(accessToken, 'me/profile');
    const added = alice.mailbox!.addMessage(Buffer.from('Subject: new\r\n\r\nnew\r\n'), ['INBOX']);
    const history = await gmail<{
      history: { messagesAdded: { message: { id: string } }[] }[];
      historyId: string;
    }>(accessToken, `me/history?startHistoryId=${profile.historyId}&historyTypes=messageAdded`);
    expect(history.body.history.flatMap((h) => h.messagesAdded.map((a) => a.message.id))).toEqual([added.id]);
    expect(Number(history.body.historyId)).toBeGreaterThan(Number(profile.historyId));
    alice.mailbox!.expireHistory();
    const expired = await gmail<{ error: { code: number; errors: { reason: string }[] } }>(
      accessToken,
      `me/history?startHistoryId=${profile.historyId}`,
    );
    expect(expired.status).toBe(404);
    expect(expired.body.error.errors[0]?.reason).toBe('notFound');
  });

  it('deletes only with the full-mailbox scope, and refuses other users and users without Gmail', async () => {
    const readonly = await token(alice.primaryEmail, [READONLY]);
    const target = seeded.archivable[0]!;
    const refused = await gmail<{ error: { errors: { reason: string }[] } }>(
      readonly,
      `me/messages/${target.id}`,
      {
        method: 'DELETE',
      },
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.errors[0]?.reason).toBe('insufficientPermissions');
    const full = await token(alice.primaryEmail, [FULL]);
    const deleted = await gmail(full, 'me/messages/batchDelete', {
      method: 'POST',
      body: JSON.stringify({ ids: [target.id, '1000000000000000'] }),
    });
    expect(deleted.status).toBe(204);
    expect(fake.counters.deletedIds).toEqual([target.id]);
    expect((await gmail(full, `me/messages/${target.id}?format=raw`)).status).toBe(404);

    const other = await gmail<{ error: { message: string } }>(readonly, 'bob%40northwind.example/labels');
    expect(other).toMatchObject({
      status: 403,
      body: { error: { message: 'Delegation denied for bob@northwind.example' } },
    });
    const noMail = await gmail<{ error: { status: string; errors: { reason: string }[] } }>(
      await token('nomail@northwind.example', [READONLY]),
      'me/labels',
    );
    expect(noMail.status).toBe(400);
    expect(noMail.body.error).toMatchObject({
      status: 'FAILED_PRECONDITION',
      errors: [{ reason: 'failedPrecondition' }],
    });
  });

  it('answers 429 past the per-user concurrency limit and 403 past the per-minute units', async () => {
    const accessToken = await token(alice.primaryEmail, [READONLY]);
    fake.setFaults({ userConcurrencyLimit: 1, delayMs: 50 });
    try {
      const statuses = (await Promise.all([1, 2, 3].map(() => gmail(accessToken, 'me/labels')))).map(
        (r) => r.status,
      );
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
      expect(statuses).toContain(200);
    } finally {
      fake.setFaults({});
    }
    fake.setFaults({ userUnitsPerMinute: 10 });
    try {
      const first = await gmail(accessToken, 'me/messages');
      const second = await gmail(accessToken, 'me/messages');
      const third = await gmail<{ error: { errors: { reason: string }[] } }>(accessToken, 'me/messages');
      expect([first.status, second.status, third.status]).toEqual([200, 200, 403]);
      expect(third.body.error.errors[0]?.reason).toBe('userRateLimitExceeded');
    } finally {
      fake.setFaults({});
    }
  });
});
