import { Egress, EgressPolicy } from '@mailkeep/egress';
import { type RunningEwsFake, seedEwsMailbox, startEwsFake } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { listFolders } from '../folders/list-folders.js';
import { MailboxEws } from './ews-session.js';
import { fetchMime, hardDelete, syncFolderItems } from './mailbox-items.js';

let fake: RunningEwsFake;
const password = 'Winter2026!archive';

beforeAll(async () => {
  fake = await startEwsFake();
  fake.addServiceAccount({
    userName: 'svc-archive',
    userPrincipalName: 'svc-archive@contoso.example',
    password,
    impersonates: ['alice@contoso.example'],
  });
  seedEwsMailbox(fake.addMailbox('alice@contoso.example'));
});
afterAll(async () => {
  await fake?.stop();
});

function session(login: string, secret = password): MailboxEws {
  return new MailboxEws({
    egress: new Egress(EgressPolicy.fromEntries(`127.0.0.1:${fake.port}`)),
    url: new URL(fake.url),
    login,
    password: secret,
    timeoutMs: 10_000,
    rejectUnauthorized: true,
    mailbox: 'alice@contoso.example',
    signal: new AbortController().signal,
    onThrottled: () => undefined,
  });
}

describe('ews-javascript-api over the egress transport against the EWS fake', () => {
  it('lists, syncs, fetches and deletes with NTLM', async () => {
    const ews = session('CONTOSO\\svc-archive');
    const folders = await listFolders(ews);
    console.log(folders);
    const inbox = folders.find((f) => f.path === 'Inbox')!;
    const page = await syncFolderItems(ews, inbox, undefined, 3);
    console.log(page);
    const mime = await fetchMime(ews, page.created[0]!.id);
    expect(mime?.equals(fake.mailbox('alice@contoso.example')!.items.get(page.created[0]!.id)!.mime)).toBe(
      true,
    );
    expect(await hardDelete(ews, [page.created[0]!.id])).toEqual([]);
    console.log(fake.counters);
    ews.close();
  });
});
